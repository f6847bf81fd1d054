import { pathToFileURL } from "node:url";
import { REQUIREMENTS } from "./requirements.js";
import type { ValidationReport } from "./validation-report.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * SARIF 2.1.0 (so code-scanning tools such as GitHub's show the violations on the lines): one rule per
 * requirement ID, one result per violation with its file/line/column relative to `%SRCROOT%`, the fix in the
 * message and in `properties.fix`.
 */
export function formatSarif(report: ValidationReport): string {
  const ids = report.results.map((r) => r.id);
  const rules = ids.map((id) => {
    const info = REQUIREMENTS.find((q) => q.id === id)!;
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]/g, ""),
      shortDescription: { text: info.title },
      fullDescription: { text: `${info.title} (${info.source}).` },
      defaultConfiguration: { level: "error" },
      properties: { tags: ["weft", "compliance", info.source] },
    };
  });
  const results = report.results.flatMap((r) =>
    r.violations.map((v) => ({
      ruleId: r.id,
      ruleIndex: ids.indexOf(r.id),
      level: v.level,
      message: { text: `${v.message} Fix: ${v.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(v.file), uriBaseId: "%SRCROOT%" },
            region: { startLine: v.line, startColumn: v.column },
          },
        },
      ],
      properties: { fix: v.fix },
    })),
  );
  const root = pathToFileURL(report.cwd.endsWith("/") ? report.cwd : `${report.cwd}/`).href;
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: root } },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: report.exitCode,
            properties: { scopes: report.scopes, summary: report.summary },
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
