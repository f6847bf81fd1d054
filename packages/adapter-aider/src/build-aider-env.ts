/**
 * Aider's explicit environment (AIDER.md, DESIGN §7 "agent processes get an explicit environment"). Pure.
 */

/** Variables always copied from the orchestrator's environment when set: finding programs, locale, TLS, proxies. */
export const BASE_ENV_ALLOWLIST: readonly string[] = [
  "PATH",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

/** The git identity Aider's commits carry (its own `(aider)` attribution is added by Aider). */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export const DEFAULT_GIT_IDENTITY: GitIdentity = { name: "weft", email: "weft@localhost" };

/** Inputs of {@link buildAiderEnv}. */
export interface AiderEnvInput {
  /** The orchestrator's environment: the only source of PATH, API keys and allowlisted values. */
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
  /** `aider.env_allowlist` from weft.config.json. */
  readonly allowlist: readonly string[];
  /** `aider.api_key_env`: names of API key variables passed through (values are never recorded). */
  readonly apiKeyNames: readonly string[];
  /** The dedicated HOME of this attempt (so no `~/.aider.conf.yml` or `~/.env` is read). */
  readonly home: string;
  readonly gitIdentity: GitIdentity;
  /** Set by the engine for every attempt (`WEFT_TASK_ID`, `WEFT_WORKSTREAM_ID`, `WEFT_ATTEMPT`, `WEFT_WORKTREE`). */
  readonly extra?: Readonly<Record<string, string>> | undefined;
}

/** The environment and the names it carries (names only: safe to record in an event). */
export interface AiderEnv {
  readonly env: Record<string, string>;
  readonly names: string[];
}

/**
 * Builds the environment Aider runs with: the allowlist and the configured API key names from the parent, plus
 * fixed values — dedicated HOME, `COLUMNS=10000` (no wrapping at 80), `NO_COLOR=1`, `PYTHONUNBUFFERED=1`,
 * `PYTHONIOENCODING=utf-8`, `GIT_TERMINAL_PROMPT=0`, `TERM=dumb` and a git identity. Nothing else leaks through:
 * no `AIDER_*` variable reaches Aider unless a user lists it in `env_allowlist`.
 */
export function buildAiderEnv(input: AiderEnvInput): AiderEnv {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_ALLOWLIST, ...input.allowlist, ...input.apiKeyNames]) {
    const value = input.parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, input.extra ?? {});
  Object.assign(env, {
    HOME: input.home,
    COLUMNS: "10000",
    NO_COLOR: "1",
    PYTHONUNBUFFERED: "1",
    PYTHONIOENCODING: "utf-8",
    GIT_TERMINAL_PROMPT: "0",
    TERM: "dumb",
    GIT_AUTHOR_NAME: input.gitIdentity.name,
    GIT_AUTHOR_EMAIL: input.gitIdentity.email,
    GIT_COMMITTER_NAME: input.gitIdentity.name,
    GIT_COMMITTER_EMAIL: input.gitIdentity.email,
  });
  return { env, names: Object.keys(env).sort() };
}
