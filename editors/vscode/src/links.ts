// The one place the extension links to lqls' documentation.

/** The README's section on installing lqls and using it from editors. */
export const INSTALL_INSTRUCTIONS_URL = "https://github.com/lqls/lqls#editors";
