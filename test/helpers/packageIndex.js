// A package index of the tests' and benchmarks' own (types: packageIndex.d.ts). Needs the package built (dist/).
const { execFileSync, spawnSync } = require('child_process');
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
 * Docker network builds a wheel (n8n-test-pkg 1.0, module n8n_test_pkg with GREETING), a hostile sdist
 * (n8n-lingering-pkg, above), a wheel whose .pth probes the index (n8n-pth-probe, below) and an R source package (n8ntestr 1.0, greeting()), and serves them over http: a PEP 503 simple index (a folder listing per project, which
 * pip reads) at /simple and a CRAN-like repository (src/contrib/PACKAGES) at the root.
 */
// n8n-lingering-pkg 1.0: an sdist whose build (an in-tree backend, so pip needs nothing else from the index) leaves a
// process behind that holds a connection to the index and writes its PID to /tmp/lingering.pid: what hostile
// install-time code would do to keep the index reachable after the install.
const BUILD_LINGERING_SDIST = String.raw`
import io, os, sys, tarfile
address = sys.argv[1]
backend = f'''
import os, socket, time, zipfile
def _linger():
    if os.fork(): return
    os.setsid()
    if os.fork(): os._exit(0)
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2): os.dup2(quiet, fd)
    held = socket.create_connection(("{address}", 8000))
    open("/tmp/lingering.pid", "w").write(str(os.getpid()))
    while True: time.sleep(1)
def get_requires_for_build_wheel(config_settings=None): return []
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _linger()
    name = "n8n_lingering_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        wheel.writestr("n8n_lingering_pkg.py", "")
        wheel.writestr("n8n_lingering_pkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: n8n-lingering-pkg\\nVersion: 1.0\\n")
        wheel.writestr("n8n_lingering_pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: n8n-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        wheel.writestr("n8n_lingering_pkg-1.0.dist-info/RECORD", "")
    return name
'''
files = {
    "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
    "backend.py": backend,
    "PKG-INFO": "Metadata-Version: 2.1\nName: n8n-lingering-pkg\nVersion: 1.0\n",
}
os.makedirs("/tmp/index/simple/n8n-lingering-pkg", exist_ok=True)
with tarfile.open("/tmp/index/simple/n8n-lingering-pkg/n8n-lingering-pkg-1.0.tar.gz", "w:gz") as sdist:
    for name, text in files.items():
        data = text.encode()
        info = tarfile.TarInfo(f"n8n-lingering-pkg-1.0/{name}")
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
`;

// n8n-pth-probe 1.0: a wheel whose .pth file (code Python runs as it loads the site-packages) tries the index once and
// writes what it saw to /tmp/pth-probe: whether the index was still open when the sandbox first loaded the package.
const BUILD_PTH_PROBE_WHEEL = String.raw`
import base64, hashlib, os, sys, zipfile
address = sys.argv[1]
probe = f"""import os, urllib.request
if not os.path.exists("/tmp/pth-probe"):
    try:
        urllib.request.urlopen("http://{address}:8000/simple/", timeout=3)
        seen = "index reached"
    except Exception:
        seen = "index blocked"
    open("/tmp/pth-probe", "w").write(seen)
"""
files = {
    "n8n_pth_probe.py": probe.encode(),
    "n8n_pth_probe.pth": b"import n8n_pth_probe\n",
    "n8n_pth_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: n8n-pth-probe\nVersion: 1.0\n",
    "n8n_pth_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: n8n-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = "".join(f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n" for name, data in files.items())
files["n8n_pth_probe-1.0.dist-info/RECORD"] = (record + "n8n_pth_probe-1.0.dist-info/RECORD,,\n").encode()
os.makedirs("/tmp/index/simple/n8n-pth-probe", exist_ok=True)
with zipfile.ZipFile("/tmp/index/simple/n8n-pth-probe/n8n_pth_probe-1.0-py3-none-any.whl", "w") as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
`;

async function startPackageIndex(network) {
	const server = `${network}-index-${process.pid}`;
	execFileSync('docker', ['run', '-d', '--name', server, '--network', network, '--entrypoint', 'python3', DEFAULT_IMAGE, '-c', BUILD_WHEEL_AND_SERVE]);
	const stop = () => execFileSync('docker', ['rm', '-f', server]);
	try {
		execFileSync('docker', ['exec', server, 'sh', '-c', BUILD_R_PACKAGE]);
		const address = execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, server], { encoding: 'utf8' }).trim();
		execFileSync('docker', ['exec', server, 'python3', '-c', BUILD_LINGERING_SDIST, address]);
		execFileSync('docker', ['exec', server, 'python3', '-c', BUILD_PTH_PROBE_WHEEL, address]);
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
		// http.server logs each request on stderr: `… "GET /simple/x/ HTTP/1.1" 200 -`.
		const requestedPaths = () => {
			const logs = spawnSync('docker', ['logs', server], { encoding: 'utf8' });
			return [...`${logs.stdout}${logs.stderr}`.matchAll(/"GET (\S+) HTTP/g)].map((match) => match[1]);
		};
		return { pythonIndexUrl: `http://${address}:8000/simple`, rRepos: `http://${address}:8000`, requestedPaths, stop };
	} catch (error) {
		stop();
		throw error;
	}
}

module.exports = { startPackageIndex };
