#!/usr/bin/env node
// weft-validate: the COMPLIANCE-001 validators for CI jobs that install only @weft/validators.
import { runValidateCli } from "./run-validate-cli.js";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
const code = await runValidateCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
