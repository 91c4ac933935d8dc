import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A private CA and a server certificate it signed, all PEM. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * Generates a throw-away CA and a certificate for `localhost` / 127.0.0.1 with openssl, so
 * clients reach the simulator over real HTTPS and trust it only through the CA
 * (`NODE_EXTRA_CA_CERTS` or an injected fetch).
 */
export function generateTls(): TlsMaterial {
  const dir = mkdtempSync(path.join(tmpdir(), "graph-sim-tls-"));
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=Overstap Graph Simulator CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      f("server.key"),
      "-out",
      f("server.csr"),
      "-subj",
      "/CN=localhost",
    );
    writeFileSync(f("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    openssl(
      "x509",
      "-req",
      "-in",
      f("server.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca.key"),
      "-CAcreateserial",
      "-out",
      f("server.pem"),
      "-days",
      "2",
      "-extfile",
      f("ext.cnf"),
    );
    return {
      caPem: readFileSync(f("ca.pem"), "utf8"),
      certPem: readFileSync(f("server.pem"), "utf8"),
      keyPem: readFileSync(f("server.key"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed client certificate and key for certificate-credential apps. */
export function generateClientCertificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "graph-sim-client-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        path.join(dir, "k.pem"),
        "-out",
        path.join(dir, "c.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=overstap-test-app",
      ],
      { stdio: "pipe" },
    );
    return {
      certPem: readFileSync(path.join(dir, "c.pem"), "utf8"),
      keyPem: readFileSync(path.join(dir, "k.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
