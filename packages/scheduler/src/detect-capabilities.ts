import { execFile } from "node:child_process";
import type { WorkerCapabilityDecl } from "@weft/core-schema";
import type { WorkerCapability } from "./match-capabilities.js";

function versionOf(binary: string, args: readonly string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, [...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) return resolve(null);
      const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(`${stdout}\n${stderr}`);
      resolve(m ? `${m[1]}.${m[2]}.${m[3] ?? "0"}` : "0.0.0");
    });
  });
}

/**
 * What local workers advertise (SPEC §6): tools that answer `--version` (git, node, python, aider — the configured
 * binary) plus what weft.config.json declares (declared entries win).
 */
export async function detectCapabilities(input: {
  readonly declared: readonly WorkerCapabilityDecl[];
  readonly aiderBinary?: string;
  readonly timeoutMs?: number;
  /**
   * The capability names tasks ask for: only tools one of them mentions are probed (spawning `python3 --version`
   * can take seconds on a loaded machine). Omit to probe every tool.
   */
  readonly needed?: readonly string[];
}): Promise<WorkerCapability[]> {
  const t = input.timeoutMs ?? 5000;
  const wanted = input.needed?.map((n) => n.toLowerCase());
  const probes = (
    [
      ["git", "git", ["--version"]],
      ["python", "python3", ["--version"]],
      ["aider", input.aiderBinary ?? "aider", ["--version"]],
    ] as [string, string, string[]][]
  ).filter(([name]) => wanted === undefined || wanted.some((w) => w.includes(name)));
  const found = await Promise.all(
    probes.map(async ([name, bin, args]) => [name, await versionOf(bin, args, t)] as const),
  );
  const caps = new Map<string, string>([["node", process.versions.node]]);
  for (const [name, v] of found) if (v !== null) caps.set(name, v);
  for (const d of input.declared) caps.set(d.name, d.version);
  return [...caps].map(([name, version]) => ({ name, version }));
}
