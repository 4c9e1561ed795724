import { PayloadTooLargeError, UnprocessableError, UnsupportedMediaTypeError } from "@oratio/core";
import { describe, expect, it } from "vitest";
import { detectDocumentType, extractDocument } from "../src/index.ts";
import { encryptedPdf, fixtureBytes } from "./helpers.ts";

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const text = (value: string) => new TextEncoder().encode(value);

describe("detectDocumentType", () => {
  it("recognises the fixture files by content, whatever their names", () => {
    expect(detectDocumentType(fixtureBytes("handbook.pdf"), "upload.bin")).toBe("pdf");
    expect(detectDocumentType(fixtureBytes("policies.docx"))).toBe("docx");
    expect(detectDocumentType(fixtureBytes("site/faq.html"), "faq.txt")).toBe("html");
    expect(detectDocumentType(fixtureBytes("price-list.csv"))).toBe("csv");
    expect(detectDocumentType(fixtureBytes("sop.md"))).toBe("markdown");
    expect(detectDocumentType(text("Just a note about opening hours."))).toBe("txt");
  });

  it("uses the file name to tell text formats apart", () => {
    expect(detectDocumentType(text("a,b\n1,2"), "notes.txt")).toBe("txt");
    expect(detectDocumentType(text("plain words"), "readme.md")).toBe("markdown");
  });

  it("refuses images, archives and binary data with 415", () => {
    expect(() => detectDocumentType(PNG, "scan.pdf")).toThrow(UnsupportedMediaTypeError);
    expect(() => detectDocumentType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "a.zip")).toThrow(
      /not a Word document/,
    );
    expect(() => detectDocumentType(new Uint8Array([1, 0, 2, 255, 254]))).toThrow(UnsupportedMediaTypeError);
  });

  it("treats a .pdf name over non-PDF text as a damaged file (422)", () => {
    expect(() => detectDocumentType(text("hello"), "report.pdf")).toThrow(UnprocessableError);
  });
});

describe("extractDocument", () => {
  it("reads every page of a PDF and records where each page's text sits", async () => {
    const document = await extractDocument(fixtureBytes("handbook.pdf"), { fileName: "handbook.pdf" });
    expect(document.type).toBe("pdf");
    expect(document.title).toBe("Harborview Family Dental patient handbook");
    expect(document.pages?.map((page) => page.number)).toEqual([1, 2, 3]);
    const page2 = document.pages![1]!;
    const page2Text = document.markdown.slice(page2.start, page2.end);
    expect(page2Text).toContain("After an extraction");
    expect(page2Text).not.toContain("Financial policy in brief");
  });

  it("keeps DOCX headings as Markdown headings", async () => {
    const document = await extractDocument(fixtureBytes("policies.docx"), { fileName: "policies.docx" });
    expect(document.type).toBe("docx");
    expect(document.title).toBe("Office policies");
    expect(document.headings.map((heading) => `${heading.level}:${heading.text}`)).toContain(
      "2:Minors and consent",
    );
    expect(document.markdown).toContain("## Service animals");
  });

  it("turns CSV rows into lines that name every column", async () => {
    const document = await extractDocument(fixtureBytes("price-list.csv"), { fileName: "price-list.csv" });
    expect(document.type).toBe("csv");
    expect(document.markdown).toContain(
      "Category: Restorative; Treatment: Root canal treatment molar; Fee (USD): 1290; Notes: Performed by Dr. Hannah Weiss",
    );
    expect(document.markdown).toContain("Treatment: Sealant per tooth; Fee (USD): 55\n");
  });

  it("reads semicolon-separated CSV too", async () => {
    const document = await extractDocument(text("Name;Price\nCleaning;129\nCrown;1150\n"), {
      fileName: "p.csv",
    });
    expect(document.markdown).toContain("Name: Crown; Price: 1150");
  });

  it("keeps Markdown as it is and takes the title from its first heading", async () => {
    const document = await extractDocument(fixtureBytes("sop.md"), { fileName: "sop.md" });
    expect(document.title).toBe("Front desk standard operating procedure");
    expect(document.headings.some((heading) => heading.text === "Emergencies (triage)")).toBe(true);
  });

  it("extracts the main content of an HTML page without its navigation and footer", async () => {
    const document = await extractDocument(fixtureBytes("site/insurance-and-payment.html"));
    expect(document.title).toBe("Insurance and payment");
    expect(document.markdown).toContain("## In-network plans");
    expect(document.markdown).toContain("Delta Dental PPO");
    for (const boilerplate of [
      "Caring for smiles",
      "Book online",
      "Staff portal",
      "strictly necessary cookies",
      "dataLayer",
    ]) {
      expect(document.markdown).not.toContain(boilerplate);
    }
  });

  it("drops navigation that sits inside the main content", async () => {
    const document = await extractDocument(fixtureBytes("site/services/implants.html"));
    expect(document.markdown).not.toContain("›");
    expect(document.markdown.startsWith("# Dental implants")).toBe(true);
  });

  it("finds the content of a page without <main> next to a sidebar", async () => {
    const document = await extractDocument(fixtureBytes("site/team.html"));
    expect(document.markdown).toContain("Dr. Hannah Weiss");
    expect(document.markdown).not.toContain("Rated 4.9 stars");
    expect(document.markdown).not.toContain("Two neighbourhood offices");
  });

  it("keeps table rows together", async () => {
    const document = await extractDocument(fixtureBytes("site/locations/northside.html"));
    expect(document.markdown).toContain("| Wednesday | Closed |");
    expect(document.markdown).toContain("| Monday | 10:00 – 19:00 |");
  });

  it("refuses a file over the size limit with 413", async () => {
    await expect(extractDocument(fixtureBytes("handbook.pdf"), { maxBytes: 1000 })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it("refuses a PNG with 415", async () => {
    await expect(extractDocument(PNG, { fileName: "photo.png" })).rejects.toMatchObject({
      status: 415,
      code: "unsupported-media-type",
    });
  });

  it("reports a truncated PDF as damaged (422)", async () => {
    const damaged = fixtureBytes("handbook.pdf").slice(0, 400);
    const error = await extractDocument(damaged, { fileName: "handbook.pdf" }).catch((e) => e);
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error.message).toMatch(/damaged|no extractable text/);
  });

  it("reports a password-protected PDF clearly (422)", async () => {
    const error = await extractDocument(encryptedPdf(), { fileName: "locked.pdf" }).catch((e) => e);
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error.message).toContain("password-protected");
  });

  it("reports a damaged DOCX (422)", async () => {
    const bytes = fixtureBytes("policies.docx").slice(0, 2000);
    await expect(extractDocument(bytes, { fileName: "policies.docx" })).rejects.toBeInstanceOf(
      UnprocessableError,
    );
  });

  it("refuses an empty file and a CSV with no data rows (422)", async () => {
    await expect(extractDocument(new Uint8Array(), { fileName: "a.txt" })).rejects.toBeInstanceOf(
      UnprocessableError,
    );
    await expect(extractDocument(text("only,a,header\n"), { fileName: "a.csv" })).rejects.toBeInstanceOf(
      UnprocessableError,
    );
  });
});
