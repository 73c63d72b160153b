export * from "./card.js";
export * from "./checksum.js";
export * from "./errors.js";
export * from "./header.js";
export * from "./pixels.js";
export * from "./reader.js";
export * from "./structure.js";
