// The one place the extension points to lqls' install instructions.

/**
 * The extension's own README (shipped in the vsix as readme.md): its "Requirements" section says how to install
 * the server. Opened from the extension's folder, so the instructions are there offline and match this version.
 */
export const INSTALL_INSTRUCTIONS_FILE = "readme.md";
