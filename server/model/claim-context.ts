/**
 * Is a name in a bio written as the author's own account, or as someone else's? Naming an account
 * is not claiming it: "my partner @bob@mastodon.social", "avatar by @kim.bsky.social", "@eve.example
 * is NOT me" name another person. If both partners name each other that way and we read it as a
 * claim, two people merge into one pin and one of them vanishes from the map, so a name counts
 * only when nothing in its clause makes it someone else's: a wrong "no" shows a person twice, a
 * wrong "yes" hides one.
 *
 * A clause is a line of the bio, cut at sentence ends (`. ` `! ` `? ` `;` `。`) and at `|` `•` `·`,
 * never at commas ("my partner, @bob" is still the partner). In a clause, a name is someone else's
 * when (all case-insensitive, in en, de, fr, es, pt, it, nl and ja):
 * - a negation or warning stands anywhere in it ("not me", "nicht ich", "pas moi", "niet ik",
 *   "ではありません", "impersonator", "fake", "in memory"), or a negated "to be" bears on the name
 *   ("I'm not @x", "@x isn't me", "no soy @x", "não sou eu: @x", "non sono @x");
 * - a relation, credit or work word stands anywhere before it ("married to", "thanks to",
 *   "maintained by", "co-host", "bandmate", "I maintain", "he's on", "danke", "merci", "gracias",
 *   "grazie", "bedankt", "中の人"), or a relation noun with its "of" ("sister of", "Frau von");
 * - a possessive governs a relation noun anywhere in it ("my partner", "meine Frau", "ma sœur",
 *   "mi gato", "minha esposa", "mio fratello", "mijn vrouw"), "/" before it being a pronoun list;
 * - a relation noun stands beside it, on either side, with no letters and no network marker between
 *   ("Partner: @x", "Wife 💕 @x", "@x (wife)", "@x's human", "@xさん"), or a relation preposition up
 *   to three words before it ("with @x", "art by the lovely @x", "von @x", "par @x");
 *   other names of the same someone may stand between ("sister of @a@b.example and @x").
 * Self and neutral wording ("also on", "find me at", "me on", "🦋", "bsky:", "alt:", "mirror:",
 * "my other account", a bare name on its own line) holds none of these, so it counts.
 *
 * Profile fields are the author's own links, so a field value counts unless the field's *name* is a
 * relation, credit or warning ("Partner", "Wife", "Artist", "Avatar", "Not me", "Impersonator").
 */

/** Letters and digits: the edges of a word in any script (JS `\b` knows only ASCII). */
const L = '\\p{L}\\p{N}';
/** The name being judged, and any other name or link, in a clause with its names masked. */
export const TARGET = '\u0001';
export const OTHER = '\u0002';

/** A word list as one alternation; entries are regex sources. */
const any = (words: string[]) => `(?:${words.join('|')})`;
/** Whole words (or, for scripts without spaces, whole entries) of a list. */
const word = (words: string[]) => new RegExp(`(?<![${L}])${any(words)}(?![${L}])`, 'iu');

/** Negations and warnings: a name in their clause is disowned, wherever it stands. */
const NEGATION = [
  // en
  'not\\s+(?:me|mine|my|us|ours|affiliated|associated|related|connected|linked|official|endorsed|the\\s+same)',
  'unaffiliated|unofficial|no\\s+(?:affiliation|relation|connection)',
  'impersonat\\w*|imposter\\w*|impostor\\w*|fake\\w*|scam\\w*|beware|parody|phishing',
  'in\\s+memor(?:y|iam)|rest\\s+in\\s+peace',
  "not\\s+to\\s+be\\s+confused|don'?t\\s+confuse",
  // de
  'nicht\\s+(?:ich|mir|mein\\w*|unser\\w*|verbunden|verwandt|offiziell|zugehörig)',
  'keine?\\s+(?:verbindung|zugehörigkeit)|gefälscht\\w*|fälschung|betrüger\\w*|vorsicht|warnung',
  'gedenken|in\\s+erinnerung',
  // fr
  'pas\\s+moi',
  'pas\\s+(?:affili|li[ée]|associ|officiel|mon|ma|mes)\\w*',
  'aucun\\s+(?:lien|rapport)|usurpat\\w*|imposteur\\w*|faux\\s+compte|arnaque\\w*',
  'en\\s+mémoire|à\\s+la\\s+mémoire',
  // es
  'sin\\s+(?:afiliación|relación|vínculo)|suplant\\w*|falso|falsa|estafa\\w*|en\\s+memoria',
  // pt
  'sem\\s+(?:afiliação|relação|vínculo)|golpe\\w*|em\\s+memória',
  // it
  'nessun\\w*\\s+(?:legame|rapporto)|impostore|truffa\\w*|attenzione',
  // nl
  'niet\\s+(?:ik|mij|mijn|verbonden|gelieerd|officieel)',
  'geen\\s+(?:banden|relatie|verband)|nep(?:account|profiel)?|oplicht\\w*|pas\\s+op|let\\s+op|ter\\s+nagedachtenis',
];
/**
 * Negated "to be" ("I'm not", "this is not", "isn't", "bin nicht", "n'est pas", "no soy", "não sou",
 * "non sono", "ben niet"): someone else's only when it bears on the name, up to three words before
 * it ("I'm not @x") or anywhere after it ("@x is not me"), since "I'm not active here, find me at
 * @x" is a self-claim.
 */
const NEGATED_BE = [
  "(?:i'?m|i\\s+am|this\\s+is|that'?s|that\\s+is|it'?s|it\\s+is|is|are|was)\\s+not",
  "isn'?t|aren'?t|wasn'?t",
  '(?:bin|ist|sind|bist)\\s+(?:nicht|kein\\w*)',
  'no\\s+(?:soy|es|son|somos|estoy|está|están|tengo)',
  'não\\s+(?:sou|é|são|somos|estou|está|tenho)',
  "non\\s+(?:sono|è|e'|siamo|ho)",
  '(?:ben|is|zijn)\\s+(?:ik\\s+)?(?:niet|geen)',
  "n'(?:est|es|suis|sont)\\s+pas|ne\\s+suis\\s+pas",
];

/** Negation with no word edges (Japanese has no spaces). */
const NEGATION_JA =
  /ではありません|ではない|ではございません|じゃない|じゃありません|無関係|関係(?:ありません|ない)|偽物|偽アカ|なりすまし|成りすまし|追悼|別人/u;

/** Relation, credit and work words: a name after them in their clause is someone else's. */
const RELATION_BEFORE = [
  // en
  'married|engaged|dating|wed\\s+to',
  'thanks|thank\\s+you|thx|ty|shout-?outs?|credits?|h/t|hat\\s+tip|cc|feat|ft|featuring|courtesy',
  'co-?hosts?|co-?hosting|co-?hosted|bandmates?|band\\s+mates?|co-?authors?|co-?founders?',
  'maintain\\w*|maintainers?|managed|operated|owned|moderat\\w*|admins?|creators?|founders?',
  `(?:building|developing)(?=\\s*${TARGET})`,
  'developers?|devs?\\s+of|remembering|belongs?\\s+to|gehört|appartien[st]?\\s+à',
  'pertenece\\s+a|pertence\\s+a|appartiene\\s+a|hoort\\s+bij|authors?\\s+of|members?\\s+of|part\\s+of|hosts?\\s+of',
  'i\\s+(?:run|maintain|made|make|built|build|host|manage|edit|draw|drew)',
  'work(?:s|ing)?\\s+(?:at|for|on|with)|employed|official\\s+account\\s+of|account\\s+of',
  // someone else spoken of: "he's also on bsky", "sie ist", "il est", "彼は" (a third-person bio misses)
  "(?:he|she|they)(?:'s|'re|\\s+is|\\s+are|\\s+was)|(?:his|her|their)\\s+(?:bluesky|bsky|mastodon|account|alt)",
  'er\\s+ist|sie\\s+ist|il\\s+est|elle\\s+est|(?:él|ella|ele|ela)\\s+(?:está|es|é)|(?:lui|lei)\\s+è',
  '(?:hij|zij)\\s+is',
  // de
  'verheiratet|verlobt|danke|dank|gepflegt|betreut|betrieben|verwaltet|gezeichnet',
  'ich\\s+(?:betreibe|pflege|arbeite)|arbeite\\s+(?:bei|für)|mitglied',
  // fr
  'mari[ée]e?s?\\s+(?:à|a|avec)|fianc[ée]e?s?\\s+(?:à|a|avec)|merci|crédits?|maintenu\\w*',
  'co-?anim\\w*|dessiné\\w*|illustré\\w*|ilustrad[oa]s?\\s+por|je\\s+travaille|membre',
  // es / pt / it
  'casad[oa]s?|comprometid[oa]s?|gracias|créditos?|mantenid[oa]|gestionad[oa]|administrad[oa]',
  'dibujad[oa]|co-?conduc\\w*|co-?present\\w*|trabajo\\s+(?:en|para)|miembro',
  'noiv[oa]s?|obrigad[oa]s?|mantid[oa]|gerid[oa]|desenhad[oa]|trabalho\\s+(?:na|no|em|para)',
  'membro|sposat[oa]|fidanzat[oa]|grazie|crediti|mantenut[oa]|gestit[oa]|amministrat[oa]',
  'disegnat[oa]|lavoro\\s+(?:a|per|da|con)|co-?condutt\\w*',
  // nl
  'getrouwd|verloofd|bedankt|dank\\w*|onderhouden|beheerd|getekend|ik\\s+werk|lid\\s+van',
  // made/run/drawn by, in every language: the participle with its "by"
  '(?:made|run|created|drawn|designed|written|edited|produced|hosted|powered|developed)\\s+by',
  '(?:gemacht|erstellt|entwickelt|betrieben|gezeichnet)\\s+von',
  '(?:fait|réalisé|créé|géré|animé|dessiné)e?s?\\s+par',
  '(?:hech|cread|dirigid|hecha|criad|feit|fabricad)[oa]?s?\\s+por',
  '(?:fatt|creat|gestit|disegnat|realizzat)[oa]\\s+da',
  '(?:gemaakt|beheerd|getekend|ontworpen)\\s+door',
];
const RELATION_BEFORE_JA =
  /結婚|妻|夫|嫁|旦那|彼氏|パートナー|相方|絵師|イラスト(?:レーター)?[:：は]|アイコン|ヘッダー|描いて|描き|作[:：]|作者|中の人|飼い主|管理人|彼は|彼女は|管理者|運営|ありがとう|感謝|協力|兄|姉|弟|妹|母|父|娘|息子|友人|友達|猫|犬|うちの子/u;

/** People and pets a bio names as someone else: partners, family, friends, credits, owners. */
const RELATION_NOUNS = [
  // en
  'partners?|wife|wifey|husband|hubby|spouse|boyfriend|girlfriend|bf|gf|fianc[ée]e?',
  'other\\s+half|better\\s+half|sisters?|brothers?|siblings?|twin|moms?|mums?|mother|dads?',
  'father|parents?|sons?|daughters?|kids?|child|children|cousins?|aunt|uncle|grandma|grandpa',
  'friends?|bestie|bff|colleagues?|co-?workers?|boss|roommates?|flatmates?|mentor|advis[oe]r',
  'supervisor|students?|cats?|kitty|kitten|dogs?|puppy|pup|pets?|bunny|rabbit|parrot|bird',
  'staff|servant|artist|illustrator|photographer|designer|pfp|avatar|icon',
  'header|banner|profile\\s+pic(?:ture)?|bandmates?|co-?hosts?|employer|company|team|band',
  'podcast|project|shop|store|bot|newsletter|rip|devs?|developers?|maintainers?|editors?|hosts?',
  'leads?|organi[sz]ers?|curators?|mods?|moderators?|admins?|humans?|hoomans?|owners?|parents?',
  'dosenöffner\\w*|frauchen|herrchen|maître|maîtresse|dueñ[oa]|don[oa]|padron[ae]|baasje',
  // de
  'partnerin|frau|ehefrau|mann|ehemann|freund|freundin|schwester|bruder|geschwister|mutter',
  'mama|vater|papa|sohn|tochter|kind|kinder|kolleg\\w*|katze|kater|hund|haustier|mitbewohner\\w*',
  'künstler\\w*|zeichner\\w*',
  // fr
  'partenaire|femme|épouse|mari|époux|copain|copine|compagnon|compagne|conjoint\\w*|s(?:œ|oe)ur',
  'frère|mère|maman|père|fils|fille|enfant|ami|amie|collègue|chat|chatte|chien|chienne|artiste',
  // es / pt / it
  'pareja|esposa|esposo|marido|mujer|novio|novia|hermana|hermano|madre|mamá|padre|papá|hij[oa]',
  'amig[oa]|colega|compañer[oa]|gat[oa]|perr[oa]|mascota|parceir[oa]|namorad[oa]|irmã|irmão',
  'mãe|pai|filh[oa]|cachorr[oa]|cão|moglie|marito|compagn[oa]|sorella|fratello|mamma|papà',
  'figli[oa]|amic[oa]|gatt[oa]|cane',
  // nl
  'vrouw|echtgeno\\w*|vriend|vriendin|zus|broer|moeder|vader|zoon|dochter|kat|hond|huisdier',
];

/** Possessives that, before a relation noun, make it someone of the author's. */
const POSSESSIVE = [
  'my|our|his|her|their',
  'mein\\w*|unser\\w*|ma|mon|mes|notre|nos|mi|mis|nuestr[oa]s?',
  'meu|minha|meus|minhas|noss[oa]s?|mio|mia|miei|mie|nostr[oaie]|mijn|onze|ons',
];

/** Prepositions that, right before a name, make it the object of a relation ("with @x", "by @x"). */
const PREPOSITIONS = 'of|with|by|von|mit|für|avec|par|con|por|com|di|van|met|door';
/**
 * What may stand between a word and the name it governs: spaces, punctuation, emoji ("Partner 💕
 * @x"), but no network marker, which starts a claim of the author's own ("Designer 🦋 @x").
 */
const GAP = `(?:(?![🦋🐘⁂🌐🔗])[^${L}${TARGET}${OTHER}]){0,6}`;
/** Other names of the same someone between the word and the name: "wife @a@b.example and @x". */
const OTHERS = `(?:${GAP}${OTHER}(?:\\s*(?:and|und|et|y|e|en|&|\\+|/)\\s*)?)*`;

const negation = word(NEGATION);
const negatedBeBefore = new RegExp(
  `(?<![${L}])${any(NEGATED_BE)}(?:\\s+[${L}'-]+){0,3}${OTHERS}${GAP}${TARGET}`,
  'iu',
);
const negatedBeAfter = new RegExp(`${TARGET}.*(?<![${L}])${any(NEGATED_BE)}(?![${L}])`, 'iu');
const relationBefore = word(RELATION_BEFORE);
const nouns = any(RELATION_NOUNS);
const possessed = new RegExp(
  `(?<![${L}/])${any(POSSESSIVE)}\\s+(?:[${L}'’-]+\\s+){0,2}?${nouns}(?![${L}])`,
  'iu',
);
/** Beside the name: a relation noun, a `GAP` away (other names of the same person between). */
const nounBefore = new RegExp(`(?<![${L}])${nouns}${OTHERS}${GAP}${TARGET}`, 'iu');
/** A relation noun with its "of" anywhere before the name: "sister of @a and @x", "Frau von …". */
const nounOf = new RegExp(
  `(?<![${L}])${nouns}\\s+(?:of|to|von|de|du|des|di|da|do|van)(?![${L}])[^${TARGET}]*${TARGET}`,
  'iu',
);
const nounAfter = new RegExp(
  `${TARGET}(?:'s)?${GAP}(?:is\\s+)?(?:(?:${any(POSSESSIVE)})\\s+)?${nouns}(?![${L}])`,
  'iu',
);
/** A relation preposition up to three words before the name: "by @x", "art by the lovely @x". */
const prepositionBefore = new RegExp(
  `(?<![${L}])(?:${PREPOSITIONS})(?:\\s+[${L}'-]+){0,3}${OTHERS}${GAP}${TARGET}`,
  'iu',
);
/** Japanese honorifics and possessive after a name: `@xさん`, `@xの妻`: someone else. */
const afterJa = new RegExp(`${TARGET}\\s*(?:さん|くん|君|ちゃん|様|さま|先生|氏|の)`, 'u');

/**
 * Does a clause, with the judged name replaced by `TARGET` (and other names by `OTHER`), write that
 * name as the author's own (or neutrally), rather than as someone else's?
 */
export function claimsInClause(masked: string): boolean {
  const at = masked.indexOf(TARGET);
  if (at < 0) throw new Error(`claimsInClause: no target in ${JSON.stringify(masked)}`);
  const before = masked.slice(0, at + 1); // with the name, for words that must touch it
  if (negation.test(masked) || NEGATION_JA.test(masked)) return false;
  if (negatedBeBefore.test(masked) || negatedBeAfter.test(masked)) return false;
  if (relationBefore.test(before) || RELATION_BEFORE_JA.test(before)) return false;
  if (possessed.test(masked)) return false;
  return !(
    nounBefore.test(masked) ||
    nounOf.test(masked) ||
    nounAfter.test(masked) ||
    prepositionBefore.test(masked) ||
    afterJa.test(masked)
  );
}

/** Field names that make a field someone else's: a relation, a credit or a warning. */
const otherField = new RegExp(
  `(?<![${L}])(?:${nouns}|${any(NEGATION)}|${any(RELATION_BEFORE)})(?![${L}])|${NEGATION_JA.source}|${RELATION_BEFORE_JA.source}`,
  'iu',
);

/** Is a profile field with this name the author's own link (Bluesky, Fediverse, Web, Links…)? */
export const isOwnField = (name: string) => !otherField.test(name);
