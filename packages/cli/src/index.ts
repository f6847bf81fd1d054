/**
 * @weft/cli — placeholder entry (filled in by its issue).
 */
export const PACKAGE_NAME = "@weft/cli";
