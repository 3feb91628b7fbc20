/** Application version shown on /about and /healthz. */
export const VERSION = "0.1.0";
