/**
 * @weft/dag — placeholder entry (filled in by its issue).
 */
export const PACKAGE_NAME = "@weft/dag";
