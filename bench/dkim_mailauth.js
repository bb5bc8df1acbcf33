// dkim_mailauth.js -- mailauth (npm) DKIM verification throughput, the key
// served from memory through its resolver option (no DNS), one message at a
// time for S seconds.  Usage: node dkim_mailauth.js MAILAUTH_DIR ZONEFILE
// SECONDS MESSAGE...   Output per message: "file size verifications_per_s".
'use strict';
const fs = require('fs');
const path = require('path');
const [dir, zonefile, secsArg, ...files] = process.argv.slice(2);
const { dkimVerify } = require(path.join(dir, 'node_modules/mailauth/lib/dkim/verify'));

const zone = new Map();
for (const line of fs.readFileSync(zonefile, 'utf8').split('\n')) {
    const f = line.split(/\s+/);
    if (f.length >= 4 && f.slice(1, 4).includes('TXT')) {
        const strs = [...line.matchAll(/"([^"]*)"/g)].map(m => m[1]);
        zone.set(f[0].replace(/\.$/, '').toLowerCase(), [strs]);
    }
}
const resolver = async (name, type) => {
    const v = zone.get(name.replace(/\.$/, '').toLowerCase());
    if (!v || type !== 'TXT') {
        const e = new Error('not found');
        e.code = 'ENOTFOUND';
        throw e;
    }
    return v;
};

(async () => {
    const secs = Number(secsArg);
    for (const file of files) {
        const msg = fs.readFileSync(file);
        const first = await dkimVerify(msg, { resolver });
        if (!first.results.every(r => r.status.result === 'pass')) {
            console.error(`dkim_mailauth: ${file} does not verify`);
            process.exit(1);
        }
        let n = 0;
        const t0 = process.hrtime.bigint();
        let t = 0;
        while (t < secs) {
            await dkimVerify(msg, { resolver });
            n++;
            t = Number(process.hrtime.bigint() - t0) / 1e9;
        }
        console.log(`${file} ${msg.length} ${(n / t).toFixed(0)}`);
    }
})();
