/**
 * How browser tests and the benchmark start Debian's Chromium: a Playwright browser download cannot
 * work here, and without the background-networking flags Chromium keeps trying hosts it cannot reach.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};
