import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Paths of the PEM files the simulator and its clients use; all made at test time. */
export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** A server certificate from the same CA whose validity ended in 2020. */
  expiredServerCert: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from a CA the simulator does not trust. */
  rogueClientCert: string;
  rogueClientKey: string;
  rogueCaCert: string;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

const KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

function selfSignedCa(dir: string, name: string, cn: string): void {
  openssl(
    dir,
    "req",
    "-x509",
    ...KEY,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-subj",
    `/CN=${cn}`,
    "-days",
    "2",
  );
}

function signed(dir: string, ca: string, name: string, cn: string, ext: string): void {
  openssl(dir, "req", ...KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
  openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-out",
    `${name}.crt`,
    "-days",
    "2",
    "-extfile",
    ext,
  );
}

/**
 * Generates a test CA, a server certificate for localhost (and an expired one), a client
 * certificate from that CA, and a client certificate from an unrelated CA, with `openssl`.
 * Nothing of it is committed: call this in a test's temporary folder.
 */
export function makeTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    path.join(dir, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  writeFileSync(path.join(dir, "index.txt"), "");
  writeFileSync(path.join(dir, "serial"), "1000\n");
  writeFileSync(
    path.join(dir, "ca.cnf"),
    [
      "[ca]",
      "default_ca = sim",
      "[sim]",
      "database = index.txt",
      "new_certs_dir = .",
      "serial = serial",
      "default_md = sha256",
      "policy = pol",
      "unique_subject = no",
      "[pol]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  selfSignedCa(dir, "ca", "Overstap Test CA");
  signed(dir, "ca", "server", "localhost", "server.ext");
  openssl(
    dir,
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-cert",
    "ca.crt",
    "-keyfile",
    "ca.key",
    "-in",
    "server.csr",
    "-out",
    "expired.crt",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200102000000Z",
    "-extfile",
    "server.ext",
    "-notext",
  );
  signed(dir, "ca", "client", "Test school OIN 00000001234567890000", "client.ext");
  selfSignedCa(dir, "rogue-ca", "Rogue CA");
  signed(dir, "rogue-ca", "rogue-client", "Rogue school", "client.ext");
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caCert: p("ca.crt"),
    serverCert: p("server.crt"),
    serverKey: p("server.key"),
    expiredServerCert: p("expired.crt"),
    clientCert: p("client.crt"),
    clientKey: p("client.key"),
    rogueClientCert: p("rogue-client.crt"),
    rogueClientKey: p("rogue-client.key"),
    rogueCaCert: p("rogue-ca.crt"),
  };
}
