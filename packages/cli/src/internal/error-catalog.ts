import { type CodeSection, renderErrorCatalog } from "@weft/core-schema";
import { LOADER_DIAGNOSTIC_CODES } from "@weft/loader";

/** The sections of `docs/errors.md` beyond core-schema's ERROR_CODES (used by `pnpm gen` and its drift test). */
export const ERROR_CATALOG_SECTIONS: readonly CodeSection[] = [
  {
    title: "Loader diagnostics",
    intro:
      "Reported by `weft validate tasks` and every command that loads a repo, each with `file:line:col`, what is wrong and a hint.",
    codes: LOADER_DIAGNOSTIC_CODES,
  },
];

/** The full text of `docs/errors.md`. */
export function renderFullErrorCatalog(): string {
  return renderErrorCatalog(ERROR_CATALOG_SECTIONS);
}
