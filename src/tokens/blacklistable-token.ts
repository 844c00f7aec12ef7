import { messages, TokenError } from '../errors.js';
import {
  capAtFamilyDeadline,
  familyExpiryAfter,
  familyIdOf,
  startFamily,
} from '../sessions/family-claims.js';
import type { BlacklistOptions, OutstandingTokenRecord } from '../store/token-store.js';
import { type ParsedToken, Token, type VerifyOptions } from './token.js';
import { userIdFromClaim } from './user-id-claim.js';

/**
 * Simple JWT's BlacklistMixin: refresh and sliding tokens are recorded when issued and can be
 * blacklisted by `jti`. With no store (blacklist off) every method here is a no-op.
 */
export class BlacklistableToken extends Token {
  static override readonly checksBlacklist: boolean = true;

  /** Set by a login until the token is recorded: the family record to create with it. */
  private newFamily: { readonly userAgent: string | null } | undefined;

  /** Starts a family: the family id and login time claims; the record is made by `outstand`. */
  protected override beginFamily(userAgent: string | null): void {
    const { settings, store, families } = this.context;
    startFamily(this, settings, this.currentTime, Boolean(store && families));
    capAtFamilyDeadline(this, settings);
    if (familyIdOf(this, settings) !== null) this.newFamily = { userAgent };
  }

  /**
   * Local checks first, then (unless `checkBlacklist: false`) the blacklist lookup (Simple JWT looks
   * up first; see the README).
   */
  override async verify({ checkBlacklist = true }: VerifyOptions = {}): Promise<void> {
    await super.verify();
    if (checkBlacklist) await this.checkBlacklist();
  }

  /** True when the store holds a blacklist record for this token's `jti`; `false` without a store. */
  async isBlacklisted(): Promise<boolean> {
    const { store } = this.context;
    if (store === null) return false;
    return store.isBlacklisted(this.jti());
  }

  /**
   * "Token is blacklisted" when the store holds a blacklist record for this token's `jti`.
   * @throws TokenError "Token has no id" when the blacklist is on and the token has no `jti`.
   */
  async checkBlacklist(): Promise<void> {
    if (await this.isBlacklisted()) throw new TokenError(messages.tokenBlacklisted);
  }

  /**
   * Blacklists this token (creating its outstanding record if missing); idempotent.
   * @returns `true` when this call blacklisted it, `false` when it already was or the blacklist is off.
   */
  async blacklist(options?: BlacklistOptions): Promise<boolean> {
    const { store } = this.context;
    if (store === null) return false;
    return store.blacklist(this.outstandingRecord(), options);
  }

  /**
   * Deletes this token's outstanding record: for a token that was recorded but will never be
   * handed out (a rotation that lost the race for the old token). A no-op without a store.
   */
  async forget(): Promise<void> {
    const { store } = this.context;
    if (store !== null) await store.forgetOutstanding(this.jti());
  }

  /**
   * Rotation: a new token of this class with this token's claims, a new `jti` and `exp` and `iat`
   * from this token's `currentTime`. This token is left as it is (so it can still be blacklisted).
   */
  rotated(): this {
    const Class = this.constructor as new (parsed: ParsedToken) => this;
    const payload = Object.assign(Object.create(null), this.payload);
    const next = new Class({ token: null, payload, currentTime: this.currentTime });
    next.setJti();
    next.setExp();
    next.setIat();
    capAtFamilyDeadline(next, this.context.settings);
    return next;
  }

  /** Records this token as outstanding: once per `jti` (after rotation gave it a new one). */
  override async outstand(): Promise<void> {
    const { store, families, settings } = this.context;
    if (store === null) return;
    const newFamily = this.newFamily;
    const familyId = familyIdOf(this, settings);
    if (newFamily === undefined || !families || familyId === null) {
      await store.recordOutstanding(this.outstandingRecord());
      return;
    }
    // A login: the token's record and its family's record in one step.
    const record = this.outstandingRecord();
    await Promise.all([
      store.recordOutstanding(record),
      families.createFamily({
        id: familyId,
        userId: record.userId,
        createdAt: this.currentTime,
        lastUsedAt: this.currentTime,
        userAgent: newFamily.userAgent,
        revokedAt: null,
        revokedReason: null,
        expiresAt: familyExpiryAfter(this, settings),
      }),
    ]);
    this.newFamily = undefined;
  }

  /** What the store keeps: ids and times, never the token string. */
  protected outstandingRecord(): OutstandingTokenRecord {
    const expiresAt = this.payload['exp'];
    if (typeof expiresAt !== 'number') throw new TokenError(messages.tokenHasNoClaim('exp'));
    return {
      jti: this.jti(),
      userId: userIdFromClaim(this.get(this.context.settings.userIdClaim)),
      tokenType: this.statics.tokenType ?? '',
      createdAt: this.currentTime,
      expiresAt: new Date(expiresAt * 1000),
    };
  }

  /** Simple JWT answers a jti-less refresh token with a KeyError (HTTP 500); this is a token error. */
  private jti(): string {
    const { jtiClaim } = this.context.settings;
    const jti = jtiClaim === null ? undefined : this.payload[jtiClaim];
    if (typeof jti !== 'string' || jti === '') throw new TokenError(messages.tokenHasNoId);
    return jti;
  }
}
