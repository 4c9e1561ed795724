import { Fragment, type ReactNode } from "react";

/**
 * Renders the small Markdown subset agent instructions use (headings, lists, bold, italic,
 * inline code, paragraphs) as React elements, so no HTML string is ever injected.
 */
export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      const cls =
        level === 1 ? "text-xl font-semibold" : level === 2 ? "text-lg font-semibold" : "font-semibold";
      // Headings inside a preview sit below the page's h1/h2, so they start at h3.
      const Tag = (["h3", "h4", "h5", "h6"] as const)[level - 1] ?? "h6";
      blocks.push(
        <Tag key={i} className={`${cls} mt-4 first:mt-0`}>
          {inline(heading[2] ?? "")}
        </Tag>,
      );
      i += 1;
      continue;
    }
    const listMatch = /^\s*([-*]|\d+\.)\s+/.exec(line);
    if (listMatch) {
      const ordered = /\d/.test(listMatch[1] ?? "");
      const items: string[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i] ?? "")) {
        items.push((lines[i] ?? "").replace(/^\s*([-*]|\d+\.)\s+/, ""));
        i += 1;
      }
      const List = ordered ? "ol" : "ul";
      blocks.push(
        <List key={i} className={`${ordered ? "list-decimal" : "list-disc"} my-2 grid gap-1 pl-6`}>
          {items.map((item, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity beyond their position
            <li key={n}>{inline(item)}</li>
          ))}
        </List>,
      );
      continue;
    }
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? "").trim() !== "" &&
      !/^(#{1,4}\s|\s*([-*]|\d+\.)\s)/.test(lines[i] ?? "")
    ) {
      paragraph.push(lines[i] ?? "");
      i += 1;
    }
    blocks.push(
      <p key={i} className="my-2">
        {inline(paragraph.join(" "))}
      </p>,
    );
  }
  return <div className="text-sm leading-relaxed">{blocks}</div>;
}

/** Bold (`**x**`), italic (`*x*`, `_x_`) and inline code; everything else stays text. */
export function inline(text: string): ReactNode {
  const parts = text.split(/(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/g);
  return parts.map((part, n) => {
    const key = `${n}-${part.length}`;
    if (/^\*\*[^*]+\*\*$/.test(part)) return <strong key={key}>{part.slice(2, -2)}</strong>;
    if (/^`[^`]+`$/.test(part))
      return (
        <code key={key} className="rounded bg-muted px-1 font-mono text-[0.85em]">
          {part.slice(1, -1)}
        </code>
      );
    if (/^(\*[^*]+\*|_[^_]+_)$/.test(part)) return <em key={key}>{part.slice(1, -1)}</em>;
    return <Fragment key={key}>{part}</Fragment>;
  });
}

/** A search snippet: `**term**` marks become highlighted text. */
export function Highlighted({ snippet }: { snippet: string }) {
  const parts = snippet.split(/(\*\*[^*]+\*\*)/g);
  return (
    <>
      {parts.map((part, n) => {
        const key = `${n}-${part.length}`;
        return /^\*\*[^*]+\*\*$/.test(part) ? (
          <mark key={key} className="rounded bg-brand-orange/40 px-0.5 text-foreground">
            {part.slice(2, -2)}
          </mark>
        ) : (
          <Fragment key={key}>{part}</Fragment>
        );
      })}
    </>
  );
}
