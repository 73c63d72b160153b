import { type Card, FitsFile } from "../fits/index.js";

/** The union of a file's headers, first occurrence wins (how CRDS reads dataset parameters). */
export function unionCards(path: string): Map<string, Card> {
  const fits = FitsFile.open(path);
  try {
    const cards = new Map<string, Card>();
    for (const hdu of fits.hdus)
      for (const card of hdu.header.cards) if (!cards.has(card.keyword)) cards.set(card.keyword, card);
    return cards;
  } finally {
    fits.close();
  }
}
