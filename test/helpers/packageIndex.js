// A package index of the tests' and benchmarks' own (types: packageIndex.d.ts). Needs the package built (dist/).
const { execFileSync } = require('child_process');
const { join } = require('path');

const { DEFAULT_IMAGE } = require(join(__dirname, '..', '..', 'dist', 'nodes', 'CodeInterpreter', 'packageInfo'));

const BUILD_WHEEL_AND_SERVE = String.raw`
import base64, hashlib, http.server, os, zipfile
files = {
    "n8n_test_pkg.py": b"GREETING = 'hello from the test index'\n",
    "n8n_test_pkg-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: n8n-test-pkg\nVersion: 1.0\n",
    "n8n_test_pkg-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: n8n-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = "".join(f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n" for name, data in files.items())
files["n8n_test_pkg-1.0.dist-info/RECORD"] = (record + "n8n_test_pkg-1.0.dist-info/RECORD,,\n").encode()
os.makedirs("/tmp/index/simple/n8n-test-pkg", exist_ok=True)
with zipfile.ZipFile("/tmp/index/simple/n8n-test-pkg/n8n_test_pkg-1.0-py3-none-any.whl", "w") as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
os.chdir("/tmp/index")
http.server.ThreadingHTTPServer(("", 8000), http.server.SimpleHTTPRequestHandler).serve_forever()
`;

const BUILD_R_PACKAGE = [
	'set -e',
	'mkdir -p /tmp/rpkg/n8ntestr/R /tmp/index/src/contrib',
	'printf "Package: n8ntestr\\nVersion: 1.0\\nTitle: Test Package\\nDescription: A package of the tests.\\nLicense: MIT\\nAuthor: n8n tests\\nMaintainer: n8n tests <tests@example.com>\\n" > /tmp/rpkg/n8ntestr/DESCRIPTION',
	'echo "export(greeting)" > /tmp/rpkg/n8ntestr/NAMESPACE',
	'echo "greeting <- function() \\"hello from the R repository\\"" > /tmp/rpkg/n8ntestr/R/greeting.R',
	'cd /tmp/index/src/contrib && R CMD build --no-build-vignettes --no-manual /tmp/rpkg/n8ntestr >/dev/null',
	'Rscript -e \'tools::write_PACKAGES(".", type = "source")\'',
].join('\n');

/**
 * A package index of the test's own, as no public one is reachable: a container of the sandbox image on the given
 * Docker network builds a wheel (n8n-test-pkg 1.0, module n8n_test_pkg with GREETING) and an R source package
 * (n8ntestr 1.0, greeting()), and serves both over http: a PEP 503 simple index (a folder listing per project, which
 * pip reads) at /simple and a CRAN-like repository (src/contrib/PACKAGES) at the root.
 */
async function startPackageIndex(network) {
	const server = `${network}-index-${process.pid}`;
	execFileSync('docker', ['run', '-d', '--name', server, '--network', network, '--entrypoint', 'python3', DEFAULT_IMAGE, '-c', BUILD_WHEEL_AND_SERVE]);
	const stop = () => execFileSync('docker', ['rm', '-f', server]);
	try {
		execFileSync('docker', ['exec', server, 'sh', '-c', BUILD_R_PACKAGE]);
		const address = execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, server], { encoding: 'utf8' }).trim();
		const check = 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/simple/n8n-test-pkg/").read().decode())';
		const listing = () => {
			try {
				return execFileSync('docker', ['exec', server, 'python3', '-c', check], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
			} catch {
				return ''; // not listening yet
			}
		};
		for (let tries = 0; !listing().includes('.whl'); tries++) {
			if (tries > 50) throw new Error('the test package index did not start');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return { pythonIndexUrl: `http://${address}:8000/simple`, rRepos: `http://${address}:8000`, stop };
	} catch (error) {
		stop();
		throw error;
	}
}

module.exports = { startPackageIndex };
