// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9)
// next to every file of the given folder, for the server to send as they
// are (routes/assets.rs): on-the-fly compression runs at quality 4 and
// sends about a third more bytes of WASM.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const folder = process.argv[2];
for (const name of readdirSync(folder)) {
  const path = join(folder, name);
  if (!statSync(path).isFile() || /\.(br|gz)$/.test(name)) continue;
  const data = readFileSync(path);
  const brotli = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_LGWIN]: 24,
    },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  console.log(`    ${name}: ${data.length} B, brotli ${brotli.length} B`);
}
