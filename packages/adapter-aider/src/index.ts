/**
 * @weft/adapter-aider — placeholder entry (filled in by its issue).
 */
export const PACKAGE_NAME = "@weft/adapter-aider";
