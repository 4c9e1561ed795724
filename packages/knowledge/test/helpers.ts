import { readFileSync } from "node:fs";
import path from "node:path";
import { BUSINESS_FIXTURE_DIR } from "../src/testing/index.ts";

export function fixtureBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(BUSINESS_FIXTURE_DIR, relative)));
}

/**
 * A minimal PDF protected by the standard security handler with an unknown user password:
 * the /U entry matches no password, so a reader must ask for one.
 */
export function encryptedPdf(): Uint8Array {
  const hex32 = "8f".repeat(32);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${hex32}> /U <${"3c".repeat(32)}> /P -4 >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  const id = "0123456789abcdef0123456789abcdef";
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
