import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderFullErrorCatalog } from "../src/index.js";

describe("docs/errors.md matches the code tables (drift check)", () => {
  it("equals the generated catalog (run `pnpm gen` and commit the result)", async () => {
    const file = fileURLToPath(new URL("../../../docs/errors.md", import.meta.url));
    expect(readFileSync(file, "utf8")).toBe(await renderFullErrorCatalog());
  });
});
