import type { CodeSection } from "@weft/core-schema";

/**
 * The full text of `docs/errors.md`: core-schema's ERROR_CODES plus each package's diagnostic code table (used by
 * `pnpm gen` and its drift test). Async so that importing @weft/cli loads neither the loader nor zod.
 */
export async function renderFullErrorCatalog(): Promise<string> {
  const { renderErrorCatalog } = await import("@weft/core-schema");
  const { LOADER_DIAGNOSTIC_CODES } = await import("@weft/loader");
  const sections: CodeSection[] = [
    {
      title: "Loader diagnostics",
      intro:
        "Reported by `weft validate tasks` and every command that loads a repo, each with `file:line:col`, what is wrong and a hint.",
      codes: LOADER_DIAGNOSTIC_CODES,
    },
  ];
  return renderErrorCatalog(sections);
}
