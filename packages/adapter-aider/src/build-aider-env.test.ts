import { describe, expect, it } from "vitest";
import { buildAiderEnv } from "./build-aider-env.js";

describe("buildAiderEnv", () => {
  it("copies only allowlisted names and API key names, then sets the fixed values", () => {
    const { env, names } = buildAiderEnv({
      parentEnv: {
        PATH: "/bin",
        SECRET: "s",
        OPENAI_API_KEY: "k",
        MY_VAR: "v",
        AIDER_MODEL: "x",
        HOME: "/root",
      },
      allowlist: ["MY_VAR"],
      apiKeyNames: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"],
      home: "/tmp/h",
      gitIdentity: { name: "n", email: "e@x" },
      extra: { WEFT_TASK_ID: "t1" },
    });
    expect(env).toEqual({
      PATH: "/bin",
      MY_VAR: "v",
      OPENAI_API_KEY: "k",
      WEFT_TASK_ID: "t1",
      HOME: "/tmp/h",
      COLUMNS: "10000",
      NO_COLOR: "1",
      PYTHONUNBUFFERED: "1",
      PYTHONIOENCODING: "utf-8",
      GIT_TERMINAL_PROMPT: "0",
      TERM: "dumb",
      GIT_AUTHOR_NAME: "n",
      GIT_AUTHOR_EMAIL: "e@x",
      GIT_COMMITTER_NAME: "n",
      GIT_COMMITTER_EMAIL: "e@x",
    });
    expect(names).toEqual(Object.keys(env).sort());
  });
});
