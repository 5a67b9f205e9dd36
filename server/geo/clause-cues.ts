// Role words that roles.ts's word lists cannot read: languages written without spaces (Chinese,
// Japanese, Thai), languages whose verb follows the place ("福岡に住んでいます", "대전에 살아요",
// "जयपुर में रहता हूँ", "İzmir'de yaşıyorum"), and scripts whose folding loses what tells the
// words apart (Arabic, Hebrew, Persian, Devanagari, Bengali, Greek, Vietnamese). Each cue is
// matched in the raw text of the name's clause, on the side where that language writes it: a
// "before" cue governs the next name ("住在成都", "أعيش في عمّان"), an "after" cue the name before
// it ("大阪出身", "부산 출신"). The window on each side ends at clause punctuation or at the next
// name, so a cue belongs to one name only.
import type { Token } from './extract.js';
import type { Role, RoleCue } from './roles.js';

type Side = 'before' | 'after';

// One table line: role, side, then the cues. A cue in a spaced script must start a word (an
// Arabic or Hebrew conjunction or preposition letter may be glued before it: "وأهلي", "בחיפה");
// cues of two characters or fewer must be the whole word. Han, kana, Hangul and Thai cues match
// anywhere. Written lower case, Arabic alef forms as bare alef (see normalise).
const TABLE: [Role, Side, string][] = [
  // Chinese (simplified and traditional)
  [
    'home',
    'before',
    '住在 住 生活在 现居 現居 定居 现在在 現在在 现在住 現在住 目前在 人在 来自 來自',
  ],
  ['home', 'after', '生活 定居'],
  [
    'past',
    'before',
    '老家 出生在 出生於 出生于 生于 生於 长大 長大 以前在 曾经在 曾經在 故乡 故鄉 家乡 家鄉',
  ],
  ['past', 'after', '出生 长大 長大 出身'],
  ['trip', 'before', '去 出差 旅游 旅遊 旅行 飞 飛 到訪 到访'],
  ['trip', 'after', '出差 旅游 旅遊 旅行 玩'],
  ['future', 'before', '明年 下个月 下個月 想去 打算 搬去 將 将'],
  ['other', 'before', '父母 爸妈 爸媽 妈妈 媽媽 爸爸 哥哥 姐姐 弟弟 妹妹 朋友 家人 老婆 老公'],
  ['work', 'after', '工作 上班'],
  // "我住在江西抚州，不是福建福州": the place denied
  ['negated', 'before', '不是 不在'],
  ['work', 'before', '公司在 单位在 單位在 上班在'],
  ['home', 'before', '我家在 家在'],
  // Japanese
  ['home', 'after', '住んで 住み 在住 暮らし 暮らして 住ん'],
  ['home', 'before', '今は 現在は'],
  ['past', 'after', '出身 生まれ 育ち 育った'],
  ['past', 'before', '実家は 地元は 昔は'],
  ['trip', 'after', '出張 旅行 観光 遊びに 行き 行って 行く'],
  ['future', 'before', '来月は 来月 来年 来週'],
  ['other', 'before', '両親 母は 父は 兄は 姉は 友達 家族'],
  ['work', 'after', '勤務 で働いて 働いて'],
  ['negated', 'after', 'じゃない じゃなく ではない ではなく'],
  ['work', 'before', '仕事は 職場は 会社は 勤務先は 勤め先は'],
  ['home', 'before', '家は 自宅は 住まいは'],
  // Korean
  ['home', 'after', '살아 살고 삽니다 거주 살아요 지내요 지내고'],
  ['home', 'before', '지금은 현재'],
  ['past', 'after', '출신 태어 자랐'],
  ['past', 'before', '고향은 고향'],
  ['trip', 'after', '출장 여행 놀러 가요 갑니다 가는'],
  ['other', 'before', '부모님 엄마 아빠 친구 언니 오빠 누나 동생 가족'],
  ['other', 'after', '계세요 계십니다'],
  ['work', 'after', '일해 근무 출근 출퇴근'],
  ['negated', 'after', '아니에요 아니고 아닙니다 아니라'],
  ['work', 'before', '회사는 직장은 회사가 직장이'],
  ['home', 'before', '집은 집이'],
  // Thai
  ['home', 'before', 'อาศัยอยู่ อาศัย อยู่ที่ อยู่ ตอนนี้'],
  ['past', 'before', 'บ้านเกิด เกิดที่ เกิด โตที่ เคยอยู่'],
  ['trip', 'before', 'ไปเที่ยว เที่ยว ไป'],
  ['other', 'before', 'พ่อแม่ เพื่อน'],
  ['work', 'before', 'ทำงานที่ ทำงาน'],
  // Hindi
  ['home', 'after', 'रहता रहती रहते रहतीं बसा बसी'],
  ['home', 'before', 'अब'],
  ['locative', 'after', 'से में'],
  ['past', 'after', 'पैदा जन्मा जन्मी पला बढ़ा बढ़ी'],
  ['past', 'before', 'जन्म'],
  ['trip', 'after', 'घूमने जा जाऊँगा जाऊंगा जाऊँगी'],
  ['other', 'before', 'भाई बहन माँ मां मम्मी पापा माता पिता दोस्त परिवार'],
  ['work', 'after', 'काम नौकरी'],
  ['work', 'before', 'ऑफिस ऑफ़िस दफ्तर दफ़्तर'],
  // Bengali
  ['home', 'after', 'থাকি থাকেন থাকে থাকছি'],
  ['home', 'before', 'এখন'],
  ['locative', 'after', 'থেকে'],
  ['past', 'before', 'জন্ম জন্মেছি'],
  ['past', 'after', 'জন্ম জন্মেছি'],
  ['trip', 'after', 'বেড়াতে ঘুরতে'],
  ['other', 'before', 'ভাই বোন মা বাবা বন্ধু পরিবার'],
  ['work', 'after', 'কাজ চাকরি অফিস'],
  ['work', 'before', 'অফিস'],
  // Arabic
  ['home', 'before', 'اعيش نعيش اسكن نسكن ساكن ساكنه مقيم مقيمه اقيم اعيش'],
  // Spoken Arabic: Egyptian and Levantine "living" (عايش), with the Levantine b- present (بعيش)
  ['home', 'before', 'عايش عايشه عايشين بعيش بنعيش بسكن بنسكن ساكنين قاعد'],
  ['locative', 'before', 'من في'],
  ['past', 'before', 'اصلي ولدت مولود مولوده نشات ترعرعت كنت'],
  ['trip', 'before', 'زياره رحله مسافر مسافره سافرت اسافر'],
  ['other', 'before', 'اهلي عائلتي امي ابي اخي اختي والدي والدتي اصدقائي صديقي'],
  ['work', 'before', 'اعمل اشتغل عملي'],
  // Hebrew
  ['home', 'before', 'גר גרה גרים גרות מתגורר מתגוררת'],
  ['past', 'before', 'נולדתי נולד נולדה גדלתי'],
  ['trip', 'before', 'טיול ביקור טס'],
  ['other', 'before', 'ההורים הורים אמא אבא אחי אחותי חבר חברה המשפחה'],
  ['work', 'before', 'עובד עובדת'],
  // Persian
  ['home', 'before', 'ساکن مقیم'],
  ['home', 'after', 'زندگی'],
  ['past', 'before', 'دلم متولد'],
  ['locative', 'before', 'اهل'],
  ['past', 'after', 'دنیا'],
  ['trip', 'before', 'سفر'],
  ['other', 'before', 'مادرم پدرم خواهرم برادرم خانواده خانوادم دوستم'],
  ['work', 'after', 'کار'],
  // Turkish
  ['home', 'after', 'yaşıyorum yaşıyoruz yaşamaktayım oturuyorum oturuyoruz ikamet'],
  ['past', 'after', 'doğdum doğumlu doğma büyüdüm'],
  ['past', 'before', 'memleketim aslen'],
  ['trip', 'after', 'tatil gezi gidiyorum'],
  ['other', 'before', 'ailem annem babam kardeşim ablam abim arkadaşım eşim'],
  ['work', 'after', 'çalışıyorum'],
  // Swahili
  ['home', 'before', 'ninaishi naishi tunaishi ninakaa nakaa'],
  ['past', 'before', 'nilizaliwa nilikulia nilikua'],
  ['trip', 'before', 'safari likizo'],
  ['trip', 'after', 'likizo'],
  ['other', 'before', 'mama baba dada kaka rafiki familia wazazi'],
  ['work', 'before', 'nafanya ninafanya kazi'],
  // Indonesian, Malay
  ['home', 'before', 'tinggal domisili menetap sekarang'],
  ['past', 'before', 'lahir asal asli dibesarkan'],
  ['future', 'before', 'depan besok nanti'],
  ['trip', 'before', 'liburan jalan-jalan berkunjung'],
  ['other', 'before', 'ortu ibu ayah kakak adik teman keluarga'],
  ['work', 'before', 'kerja bekerja kantor'],
  // Vietnamese
  ['home', 'before', 'sống giờ hiện'],
  ['past', 'before', 'quê sinh'],
  ['trip', 'before', 'lịch chơi'],
  ['other', 'before', 'bố mẹ má bạn'],
  ['work', 'before', 'việc'],
  // Greek
  ['home', 'before', 'μένω ζω μένουμε ζούμε'],
  ['past', 'before', 'γεννήθηκα μεγάλωσα'],
  ['trip', 'before', 'ταξίδι διακοπές'],
  ['other', 'before', 'μητέρα μαμά μπαμπάς πατέρας αδερφή αδερφός φίλος φίλη γονείς'],
  ['work', 'before', 'δουλεύω εργάζομαι'],
  // Hungarian: the verb follows the inflected name ("Szegeden élek", "Debrecenben születtem")
  ['home', 'after', 'élek lakom élünk lakunk'],
  ['home', 'before', 'most'],
  ['past', 'after', 'születtem nőttem'],
  ['work', 'after', 'dolgozom'],
  ['trip', 'after', 'nyaralok utazom'],
  // Russian, Ukrainian (живу, мешкаю are in roles.ts)
  ['work', 'after', 'по работе по роботі'],
  ['past', 'before', 'родился родилась вырос выросла народився народилася виріс виросла'],
  ['trip', 'before', 'отпуск отпуске командировке відпустка відпустці'],
  ['other', 'before', 'мама папа родители сестра брат друг подруга батьки тато'],
  ['work', 'before', 'работаю працюю'],
  // Bulgarian, Macedonian, Serbian (Cyrillic; мама, брат, сестра, родители are above)
  ['home', 'before', 'живея живеем живеам живееме живим живимо станувам станујем'],
  ['past', 'before', 'роден родих израснах пораснах пораснав рођен одрастао одрасла одраснав'],
  ['trip', 'before', 'почивка екскурзия пътувам одмор патувам путујем путовање'],
  ['future', 'before', 'догодина следващия следващата следниот следећег'],
  ['other', 'before', 'приятел съпруг гадже пријател сопруг девојка дечко родитељи пријатељ'],
  ['work', 'before', 'работя работам радим студирам следвам'],
  // Romanian (before the name; "dar", but, is the Swedish "där", where, to roles.ts)
  ['home', 'before', 'locuiesc locuim trăiesc trăim traiesc traim'],
  // Greek (more)
  ['home', 'before', 'κατοικώ'],
  ['trip', 'before', 'επίσκεψη εκδρομή'],
  ['future', 'before', 'επόμενο επόμενη'],
  ['other', 'before', 'σύζυγος γυναίκα άντρας κοπέλα αγόρι οικογένεια αδελφή αδελφός'],
  ['work', 'before', 'σπουδάζω'],
  // Icelandic "bý" (I live) folds to "by"
  ['home', 'before', 'bý búum'],
  // Hungarian (more): the verb after, a relative before
  ['home', 'after', 'lakik'],
  ['past', 'after', 'felnőttem'],
  ['work', 'after', 'tanulok dolgozunk'],
  ['trip', 'after', 'nyaralunk kirándulok'],
  ['future', 'before', 'jövő jövőre'],
  [
    'other',
    'before',
    'anyám apám szüleim nővérem húgom bátyám öcsém barátom barátnőm feleségem férjem családom testvérem',
  ],
  // Basque: the verb after the inflected name ("Bilbon bizi naiz")
  ['home', 'after', 'bizi'],
  ['past', 'after', 'jaio jaioa hazi'],
  ['trip', 'after', 'oporretan bidaian bisitan'],
  ['work', 'after', 'lanean'],
  ['future', 'before', 'hurrengo datorren'],
  [
    'other',
    'before',
    'gurasoak aita ahizpa arreba anaia neba lagun lagunak senarra emaztea mutil-laguna neska-laguna familia',
  ],
  // Malay (more)
  ['home', 'before', 'bermastautin'],
  ['past', 'before', 'dilahirkan membesar'],
  ['trip', 'before', 'bercuti melancong'],
  ['work', 'before', 'belajar'],
  ['other', 'before', 'abah isteri suami kawan bapa'],
  // Urdu: the verb after the name ("لاہور میں رہتا ہوں")
  ['home', 'after', 'رہتا رہتی رہتے مقیم'],
  ['past', 'after', 'پیدا پلا'],
  ['past', 'before', 'آبائی'],
  ['trip', 'after', 'گھومنے سیر'],
  ['other', 'before', 'بھائی بہن امی ابو والدین دوست خاندان بیوی شوہر'],
  ['work', 'after', 'کام نوکری'],
  // Armenian
  ['home', 'before', 'ապրում բնակվում'],
  ['home', 'after', 'ապրում բնակվում'],
  ['past', 'before', 'ծնվել մեծացել'],
  ['past', 'after', 'ծնվել մեծացել'],
  ['trip', 'before', 'ճամփորդ արձակուրդ այցել'],
  ['future', 'before', 'հաջորդ'],
  [
    'other',
    'before',
    'քույրս եղբայրս ծնողներս ընտանիքս ընկերս ընկերուհիս կինս ամուսինս մայրս հայրս',
  ],
  ['work', 'before', 'աշխատում սովորում'],
  ['work', 'after', 'աշխատում սովորում'],
  // Georgian
  ['home', 'before', 'ვცხოვრობ ვცხოვრობთ'],
  ['home', 'after', 'ვცხოვრობ ვცხოვრობთ'],
  ['past', 'before', 'დავიბადე გავიზარდე'],
  ['past', 'after', 'დავიბადე გავიზარდე'],
  ['trip', 'before', 'მოგზაურობ შვებულება დასვენება'],
  ['future', 'before', 'მომავალ შემდეგ'],
  ['other', 'before', 'დედა მამა ძმა მშობლები ოჯახი მეგობარი ცოლი ქმარი'],
  ['work', 'before', 'ვმუშაობ ვსწავლობ'],
  ['work', 'after', 'ვმუშაობ ვსწავლობ'],
  // Tamil: the verb after the name ("சென்னையில் வசிக்கிறேன்")
  ['home', 'after', 'வசிக்கிறேன் வாழ்கிறேன் இருக்கிறேன்'],
  ['past', 'after', 'பிறந்தேன் வளர்ந்தேன்'],
  ['trip', 'after', 'சுற்றுலா பயணம்'],
  ['work', 'after', 'வேலை பணிபுரிகிறேன் படிக்கிறேன்'],
  ['other', 'before', 'அம்மா அப்பா அக்கா அண்ணன் தம்பி தங்கை நண்பன் நண்பர் பெற்றோர் குடும்பம் மனைவி கணவர்'],
  // Telugu
  ['home', 'after', 'ఉంటాను ఉంటున్నాను నివసిస్తున్నాను నివసిస్తాను'],
  ['past', 'after', 'పుట్టాను పెరిగాను'],
  ['trip', 'after', 'పర్యటన ప్రయాణం'],
  ['work', 'after', 'పని ఉద్యోగం చదువుతున్నాను'],
  ['other', 'before', 'అమ్మ నాన్న అక్క అన్న తమ్ముడు చెల్లి స్నేహితుడు స్నేహితురాలు తల్లిదండ్రులు కుటుంబం భార్య భర్త'],
  // Amharic: the verb after the name ("አዲስ አበባ እኖራለሁ")
  ['home', 'after', 'እኖራለሁ እኖራለን የምኖረው ነዋሪ'],
  ['past', 'after', 'ተወለድኩ ያደግኩት አደግኩ'],
  ['work', 'after', 'እሰራለሁ እሠራለሁ'],
  ['trip', 'before', 'ለጉብኝት ለእረፍት'],
  ['other', 'before', 'ቤተሰቦቼ እናቴ አባቴ ወንድሜ እህቴ ጓደኛዬ ባለቤቴ'],
  // "I live" in languages that appear a post or two at a time: the verb after the name where the
  // language puts it last (Kurdish "li Hewlêrê dijîm", Kyrgyz "Бишкекте жашайм", Mongolian
  // "Дарханд амьдардаг", Kazakh "Алматыда тұрамын", Uzbek, Azerbaijani, Tajik, Pashto, Somali,
  // Nepali, Marathi, Gujarati, Punjabi, Sinhala, Kannada, Malayalam, Māori "e noho ana"), and
  // before it elsewhere (Luxembourgish, Frisian, Maltese, Breton, Scottish Gaelic, Igbo, Zulu,
  // Xhosa, Hausa, Kinyarwanda, Malagasy, Khmer, Lao, Burmese).
  ['home', 'after', 'dijîm dijîn dijim жашайм жашайбыз жашаймын амьдардаг амьдарч тұрамын тұрамыз'],
  ['home', 'after', 'yashayman yashaymiz yaşayıram yaşayırıq зиндагӣ истиқомат اوسېږم اوسیږم'],
  ['home', 'after', 'noolahay degan बस्छु बस्छौं बस्दछु राहतो राहते राहतात રહું રહીએ રહેું'],
  ['home', 'after', 'ਰਹਿੰਦਾ ਰਹਿੰਦੀ ਰਹਿੰਦੇ ජීවත් පදිංචි ವಾಸಿಸುತ್ತೇನೆ ವಾಸವಾಗಿದ್ದೇನೆ താമസിക്കുന്നു noho'],
  ['home', 'after', 'နေထိုင် နေတယ်'],
  ['home', 'before', 'wunnen wunne wunnt wenje wenjen wenne noqgħod ngħix noqogħdu chom'],
  ['home', 'before', 'fuireach còmhnaidh ebi ngihlala sihlala ndihlala sihlala zaune ntuye dutuye'],
  ['home', 'before', 'monina mipetraka រស់នៅ ອາໄສຢູ່ ອາໄສ ຢູ່'],
];

/** Languages whose cues above may be written in plain ASCII letters (Turkish, Swahili, Indonesian, Malay, Vietnamese, Hungarian, and more). */
export const LATIN_CUE_LANGUAGES: ReadonlySet<string> = new Set([
  'tr',
  'sw',
  'id',
  'ms',
  'vi',
  'hu',
  'eu',
  'ro',
  // the "I live" rows for languages seen a post at a time
  ...[
    'ku',
    'mi',
    'lb',
    'fy',
    'mt',
    'br',
    'gd',
    'ig',
    'zu',
    'xh',
    'ha',
    'rw',
    'mg',
    'so',
    'uz',
    'az',
  ],
]);

// When a clause holds several cues, the most specific wins: "บ้านเกิดอยู่ขอนแก่น" (birthplace
// is at) is the past although อยู่ is "live"; "在杭州工作生活" (work and live) is home.
const PRIORITY: Role[] = ['negated', 'other', 'past', 'trip', 'future', 'home', 'work', 'locative'];

const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Myanmar}]/u;
// Clause punctuation, as UTF-16 code units (each is one): read a character at a time.
const CLAUSE: ReadonlySet<number> = new Set(
  Array.from('.!?。！？،؛,，、;；।|\n—–', (c) => c.charCodeAt(0)),
);
const LETTER = /[\p{L}\p{M}]/u;
// One-letter Arabic and Hebrew words written joined to the next: "و" (and), "ב" (in), "ו" (and).
const GLUED = /[وبلف\u05D1\u05D5\u05DC\u05DE\u05D4\u05DB\u05E9]/u;
// How far each side is read, in characters.
const REACH = 24;

const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;

/** Lower case, Arabic alef forms and teh marbuta unified, Arabic vowel marks dropped. */
export const normalise = (s: string): string =>
  // ASCII has nothing to compose and no Arabic: lower case is all.
  ASCII_ONLY.test(s)
    ? s.toLowerCase()
    : s
        .normalize('NFC')
        .toLowerCase()
        .replace(/[أإآٱ]/g, 'ا')
        .replace(/ة/g, 'ه')
        .replace(/ى/g, 'ي')
        .replace(/[\u064B-\u0652\u0670\u0640]/g, '');

interface Cue {
  text: string;
  role: Role;
  unspaced: boolean;
  whole: boolean;
}
// Each side's cues by their first character, longest first ("住在" before "住"): a window is read
// once, position by position, instead of once per cue.
const CUES: Record<Side, Map<number, Cue[]>> = { before: new Map(), after: new Map() };
for (const [role, side, list] of TABLE)
  for (const text of list.trim().split(/\s+/).map(normalise)) {
    const unspaced = UNSPACED.test(text);
    const cue = { text, role, unspaced, whole: !unspaced && [...text].length <= 2 };
    const byFirst = CUES[side].get(text.charCodeAt(0)) ?? [];
    byFirst.push(cue);
    CUES[side].set(text.charCodeAt(0), byFirst);
  }
for (const side of ['before', 'after'] as const)
  for (const list of CUES[side].values()) list.sort((a, b) => b.text.length - a.text.length);
// Whether some cue of a side starts with a code unit: most characters of a window start none.
const STARTS: Record<Side, Uint8Array> = {
  before: new Uint8Array(65536),
  after: new Uint8Array(65536),
};
for (const side of ['before', 'after'] as const)
  for (const c of CUES[side].keys()) STARTS[side][c] = 1;

// Whether `cue` occurs in `s` at `at` as a word (or anywhere, for unspaced scripts).
function wordAt(s: string, at: number, cue: Cue): boolean {
  if (cue.unspaced) return true;
  const end = at + cue.text.length;
  if (cue.whole && end < s.length && LETTER.test(s[end]!)) return false;
  if (at === 0 || !LETTER.test(s[at - 1]!)) return true;
  // "وأهلي", "בחיפה": one glued letter that itself starts the word.
  return GLUED.test(s[at - 1]!) && (at === 1 || !LETTER.test(s[at - 2]!));
}

/**
 * The role the clause around a name gives it, read from `text[from..start]` (before) and
 * `text[end..to]` (after), or null when no cue is there. `from` and `to` are where the previous
 * and next names are; the window also stops at clause punctuation.
 */
export function clauseRole(
  text: string,
  start: number,
  end: number,
  from: number,
  to: number,
): RoleCue | null {
  let b = Math.max(from, start - REACH);
  let a = Math.min(to, end + REACH);
  for (let i = start - 1; i >= b; i--)
    if (CLAUSE.has(text.charCodeAt(i))) {
      b = i + 1;
      break;
    }
  for (let i = end; i < a; i++)
    if (CLAUSE.has(text.charCodeAt(i))) {
      a = i;
      break;
    }
  let best: { role: Role; at: number; len: number } | null = null;
  const consider = (side: Side, offset: number, s: string): void => {
    const cues = CUES[side];
    const starts = STARTS[side];
    for (let at = 0; at < s.length; at++) {
      const code = s.charCodeAt(at);
      if (starts[code] === 0) continue;
      const list = cues.get(code);
      if (!list) continue;
      for (const cue of list) {
        if (!s.startsWith(cue.text, at) || !wordAt(s, at, cue)) continue;
        if (!best || PRIORITY.indexOf(cue.role) < PRIORITY.indexOf(best.role))
          best = { role: cue.role, at: offset + at, len: cue.text.length };
      }
    }
  };
  // Normalising keeps lengths except for dropped Arabic marks; offsets then only place the quote.
  consider('before', b, normalise(text.slice(b, start)));
  consider('after', end, normalise(text.slice(end, a)));
  if (!best) return null;
  const { role, at, len } = best as { role: Role; at: number; len: number };
  const cue: Token = {
    kind: 'word',
    text: text.slice(at, at + len),
    key: text.slice(at, at + len),
    start: at,
    end: at + len,
    capital: false,
    sentenceStart: false,
    unspaced: false,
  };
  return { role, cue };
}
