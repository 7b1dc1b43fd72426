/**
 * The query side of migration 1400's spelling functions, for the Elasticsearch backend: its index
 * holds the document's phonetic Latin form as PostgreSQL computed it (`search_latin`), so a query
 * word must be folded by exactly the same rules. Each step mirrors the SQL function named.
 */

const translate = (text: string, from: string, to: string) => {
  const map = new Map([...from].map((char, index) => [char, [...to][index] ?? '']));
  return [...text].map((char) => map.get(char) ?? char).join('');
};

const replaceAll = (text: string, pairs: Array<[string, string]>) => pairs.reduce((result, [from, to]) => result.split(from).join(to), text);

/** `f_unaccent`: accents and diaeresis off (Greek tonos too). */
const unaccent = (text: string) => text.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');

/** `f_search_normalize`: unaccented, lower case, final sigma as sigma. */
const searchNormalize = (text: string) => translate(unaccent(text).toLowerCase(), 'ς', 'σ');

/** `f_greeklish`: one phonetic Latin spelling for Greek, Greeklish and Latin ("Ψυχολόγος", "psyxologos" → "psixologos"). */
export function greeklish(text: string): string {
  let folded = replaceAll(searchNormalize(text), [['ου', 'u'], ['αυ', 'av'], ['ευ', 'ev'], ['ει', 'i'], ['οι', 'i'], ['αι', 'e'], ['ψ', 'ps'], ['θ', '8'], ['μπ', 'b']]);
  folded = translate(folded, 'αβγδεζηικλμνξοπρστυφχω', 'avgdeziiklmnxoprstifxo');
  folded = replaceAll(folded, [['th', '8'], ['ch', 'x'], ['ph', 'f'], ['ks', 'x'], ['ou', 'u'], ['au', 'av'], ['eu', 'ev'], ['ei', 'i'], ['oi', 'i'], ['ai', 'e'], ['ck', 'k']]);
  folded = translate(folded, 'hywbcj', 'iiovkz');
  return folded.replace(/([a-z])\1+/g, '$1');
}

/** `f_latin_to_greek`: a Latin (Greeklish) word in Greek letters, for the Greek stemmer ("agxos" → "αγχος"). */
export function latinToGreek(word: string): string {
  const spelled = replaceAll(unaccent(word).toLowerCase(), [['th', 'θ'], ['8', 'θ'], ['ps', 'ψ'], ['ks', 'ξ'], ['ch', 'χ'], ['ph', 'φ'], ['ou', 'ου'], ['b', 'μπ']]);
  return translate(spelled, 'abgdezhiklmnxoprstyfwvcu', 'αβγδεζηικλμνχοπρστυφωβκυ').replace(/σ(?![\p{L}\p{N}])/gu, 'ς');
}
