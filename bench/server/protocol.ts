/** Messages between the benchmark runner and the server child (over the fork IPC channel). */

/** The Yoga apps the child serves, each under `/<app>/graphql`. */
export const appNames = [
  'db',
  'rotate',
  'login',
  'stateless',
  'stateless-cache',
  'plain-jsonwebtoken',
  'floor',
  'floor-rotate',
] as const;
export type AppName = (typeof appNames)[number];

export interface ChildConfig {
  readonly databaseUri: string;
  /** base64url HMAC secret shared by every app. */
  readonly signingKey: string;
}

export type Request =
  | { readonly type: 'cpu' }
  /** The child's monotonic clock in microseconds (the clock V8 profile timestamps use). */
  | { readonly type: 'clock' }
  | {
      readonly type: 'mint';
      readonly app: AppName;
      readonly kind: 'refresh' | 'access';
      readonly count: number;
      /** Insert outstanding records for refresh tokens, as tokenObtainPair would. */
      readonly record: boolean;
    }
  | { readonly type: 'exit' };

export interface CpuUsage {
  /** process.cpuUsage() of the child: user + system microseconds. */
  readonly user: number;
  readonly system: number;
}

export interface Ready {
  readonly type: 'ready';
  readonly port: number;
  /** The users the benchmark logs in as: cheap hash (obtain comparison) and production hash (login load). */
  readonly users: { readonly cheap: BenchUser; readonly production: BenchUser };
}

export interface BenchUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

export type Reply =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string };

export type Envelope = Request & { readonly id: number };
