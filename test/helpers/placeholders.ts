// What a conclusion must never print for something that could be read. Conclusion prose
// renders a null fact as "not read" (src/template/render.ts, renderProse): fine as words,
// a placeholder where a number with its unit belongs ("p50 not read ms").

/** "not read" standing where a number with its unit belongs. */
const NOT_READ_NUMBER = String.raw`\bnot read (?:ms|s|KiB|MiB|GiB|%|cycles|times|goroutines|arenas|threads)(?![\w])`;

/** JSON words, -1, or "not read" where a number belongs. */
export const PLACEHOLDER = new RegExp(String.raw`\b(?:unknown|undefined|NaN|null|true|false)\b|-1\b|${NOT_READ_NUMBER}`);

/** As PLACEHOLDER, and also a lone "-" or "(-)", with "-1." at a sentence's end ("-1.9 MiB"
 *  is a reading): go-memory's live conclusions, which quote no setting's true/false. */
export const STRICT_PLACEHOLDER = new RegExp(String.raw`(?:^|[\s(])(?:-1|unknown|undefined|NaN|null|true|false|\(-\)|-)(?:[\s),;]|\.(?!\d)|$)|${NOT_READ_NUMBER}`);

/** As PLACEHOLDER without true/false, for conclusions that may quote a setting as written. */
export const NUMBER_PLACEHOLDER = new RegExp(String.raw`\b(?:unknown|undefined|NaN|null)\b|-1\b|${NOT_READ_NUMBER}`);
