import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { checkBudget, initialScripts, JS_BUDGET_BYTES, measureScripts } from "../../scripts/js-budget.mjs";

// The shape of the HTML Next sends for `/`: async chunks, a polyfill only old browsers load, a preload
// in the head, inline data scripts and the same chunk named twice.
const HTML = `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/_next/static/chunks/app.css" data-precedence="next"/>
<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack.js"/>
<link rel="preload" as="font" href="/_next/static/media/font.woff2"/>
<link rel="modulepreload" as="script" href="/_next/static/chunks/module.js">
<script src="/_next/static/chunks/main.js" async=""></script>
<script nonce="abc">(function(){document.documentElement.classList.add("dark")})()</script>
</head><body><div role="table"></div>
<script src="/_next/static/chunks/page.js" async=""></script>
<script src='/_next/static/chunks/single-quoted.js' async></script>
<script src="/_next/static/chunks/polyfills.js" noModule=""></script>
<script src="/_next/static/chunks/main.js" async=""></script>
<script>self.__next_f.push([1,"rows"])</script>
</body></html>`;

/** `kb` KB that gzip does not shrink (a hash chain: as good as random, and the same on every run). */
function incompressible(kb: number): Uint8Array {
  const blocks: Buffer[] = [];
  for (let i = 0; i < kb * 32; i++) blocks.push(createHash("sha256").update(`${kb}:${i}`).digest());
  return Buffer.concat(blocks);
}

describe("the JavaScript budget of the first rows", () => {
  it("weighs every script a module browser fetches for the HTML, each once, and nothing else", () => {
    expect(initialScripts(HTML)).toEqual([
      "/_next/static/chunks/webpack.js",
      "/_next/static/chunks/module.js",
      "/_next/static/chunks/main.js",
      "/_next/static/chunks/page.js",
      "/_next/static/chunks/single-quoted.js",
    ]);
  });

  it("sums the gzip sizes of the files it reads", async () => {
    const files: Record<string, Uint8Array> = {
      "a.js": new TextEncoder().encode("console.log('a');".repeat(200)),
      "b.js": incompressible(3),
    };
    const measured = await measureScripts(Object.keys(files), (src) => files[src]);
    expect(measured.files.map((f) => f.src)).toEqual(["a.js", "b.js"]);
    expect(measured.raw).toBe(files["a.js"].length + files["b.js"].length);
    const gzipped =
      gzipSync(files["a.js"], { level: 9 }).length + gzipSync(files["b.js"], { level: 9 }).length;
    expect(measured.gzip).toBe(gzipped);
    // The repeated line compresses; random bytes do not.
    expect(measured.files[0].gzip).toBeLessThan(measured.files[0].raw / 10);
    expect(measured.files[1].gzip).toBeGreaterThan(3 * 1024);
  });

  it("fails a page over the budget and names its largest files", async () => {
    const files: Record<string, Uint8Array> = {
      "/framework.js": incompressible(150),
      "/page.js": incompressible(70),
      "/small.js": incompressible(1),
    };
    const result = checkBudget(await measureScripts(Object.keys(files), (src) => files[src]));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/over budget: 22\d\.\d KB gzip in 3 files \(budget 210\.0 KB\)/);
    expect(result.message).toMatch(/Largest: \/framework\.js 150\.\d KB, \/page\.js 70\.\d KB/);
  });

  it("passes a page within the budget, up to the byte", () => {
    const at = { files: [{ src: "/a.js", gzip: JS_BUDGET_BYTES }], gzip: JS_BUDGET_BYTES };
    expect(checkBudget(at).ok).toBe(true);
    const over = { files: [{ src: "/a.js", gzip: JS_BUDGET_BYTES + 1 }], gzip: JS_BUDGET_BYTES + 1 };
    expect(checkBudget(over).ok).toBe(false);
    expect(checkBudget({ files: [{ src: "/a.js", gzip: 500 }], gzip: 500 }, 400).ok).toBe(false);
  });

  it("never passes a page in which it found no script to weigh", () => {
    const result = checkBudget({ files: [], gzip: 0 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/no script/);
    expect(initialScripts("<html><body>Internal Server Error</body></html>")).toEqual([]);
  });
});
