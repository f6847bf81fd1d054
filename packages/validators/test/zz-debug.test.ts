import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { validateRepo } from "../src/validate-repo.js";
import { formatText } from "../src/format-text.js";
import { makeCleanRepo } from "./helpers/make-clean-repo.js";
it("debug", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-dbg-"));
  await makeCleanRepo(dir);
  const report = await validateRepo({ cwd: dir, scopes: ["all"] });
  console.log(dir, formatText(report, { verbose: true }));
});
