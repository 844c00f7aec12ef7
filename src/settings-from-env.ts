import { ImproperlyConfiguredError } from './errors.js';
import { keyListFromEnv } from './keys/key-list-setting.js';
import { defaultSettings, type SimpleJwtSettings } from './settings.js';

const prefix = 'SIMPLE_JWT_';

/** `accessTokenLifetime` -> `ACCESS_TOKEN_LIFETIME`. */
export function envNameOf(setting: string): string {
  return prefix + setting.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

const notFromEnv = new Set(['userAuthenticationRule', 'claimsReplacer', 'loginThrottleClientAddress']);
const numberSettings = new Set([
  'maxTokenLength',
  'loginThrottleUsernameFailures',
  'loginThrottleAddressFailures',
]);
const listSettings = new Set(['authHeaderTypes', 'authTokenClasses', 'audience']);
const nullableSettings = new Set([
  'tokenTypeClaim',
  'jtiClaim',
  'familyClaim',
  'authTimeClaim',
  'tokensValidAfterField',
]);
// Settings whose default is `undefined`: booleans parsed as booleans, `none` meaning the default.
const optionalBooleanSettings = new Set(['reuseDetection']);
const optionalSettings = new Set(['reuseDetection', 'refreshTokenFamilyLifetime']);
const keyListSettings = new Set(['signingKeys', 'retiredKeys']);

function parseValue(setting: string, raw: string): unknown {
  const defaultValue = (defaultSettings as Record<string, unknown>)[setting];
  if (optionalSettings.has(setting) && ['', 'none', 'auto'].includes(raw.trim().toLowerCase()))
    return undefined;
  if (typeof defaultValue === 'boolean' || optionalBooleanSettings.has(setting)) {
    const normalized = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
    throw new ImproperlyConfiguredError(
      setting,
      `${envNameOf(setting)} must be true or false, got ${JSON.stringify(raw)}`,
    );
  }
  if (nullableSettings.has(setting) && ['', 'null', 'none'].includes(raw.trim().toLowerCase())) return null;
  if (listSettings.has(setting)) {
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return setting === 'audience' && items.length === 1 ? items[0] : items;
  }
  if (keyListSettings.has(setting)) return keyListFromEnv(setting, envNameOf(setting), raw);
  if (numberSettings.has(setting)) return Number(raw);
  return raw;
}

/**
 * Reads every setting from `SIMPLE_JWT_<SETTING_NAME>` variables (e.g. `SIMPLE_JWT_ACCESS_TOKEN_LIFETIME=5m`,
 * `SIMPLE_JWT_AUTH_HEADER_TYPES=Bearer,JWT`). Variables that are not set are left out; function-valued
 * settings cannot come from the environment. Values are validated by `resolveSettings`.
 */
export function settingsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SimpleJwtSettings {
  const settings: Record<string, unknown> = {};
  for (const setting of Object.keys(defaultSettings)) {
    if (notFromEnv.has(setting)) continue;
    const raw = env[envNameOf(setting)];
    if (raw === undefined) continue;
    const value = parseValue(setting, raw);
    if (value !== undefined) settings[setting] = value;
  }
  return settings as SimpleJwtSettings;
}
