import UAParser from "ua-parser-js";

/**
 * Browser and OS names for the session list ("Firefox 133 on Windows"), parsed from the stored user
 * agent with ua-parser-js 1.x (MIT; 2.x is AGPL and must not be used). Unknown parts are null.
 */
export function describeUserAgent(userAgent: string | null): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const result = new UAParser(userAgent).getResult();
  return {
    browser: joinName(result.browser.name, result.browser.major),
    os: joinName(result.os.name, result.os.version),
  };
}

function joinName(name: string | undefined, version: string | undefined): string | null {
  if (!name) return null;
  return version ? `${name} ${version}` : name;
}
