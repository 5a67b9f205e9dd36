import { describe, expect, it } from 'vitest';
import { clauseRole } from '../../server/geo/clause-cues.js';
import { foldName } from '../../server/geo/fold.js';
import { post, useCampaignLocator } from './campaign-locator.js';

// The reading of role words and case forms is what is tested: the hand rules decide on it alone
// here. The fitted scorer, the default, may still decline a small town the reading found (its
// tests: scorer.test.ts).
const locator = useCampaignLocator({ scorer: null });
const nameOf = (text: string, language: string): string | null =>
  locator().locate({ html: post(text), language })?.place.name ?? null;

describe('role words in languages without spaces, with the verb after the place, or in other scripts', () => {
  it.each([
    ['zh', 'a home verb before, a hometown after a comma', '我住在成都，老家在重庆。', 'Chengdu'],
    ['zh', 'now here, the hometown before', '我老家在成都，现在在杭州工作生活', 'Hangzhou'],
    [
      'ja',
      'the verb after, a business trip',
      '福岡に住んでいます。来月は東京に出張です。',
      'Fukuoka',
    ],
    ['ja', 'a birthplace after the name', '大阪出身、今は福岡に住んでます🍜', 'Fukuoka'],
    ['ko', 'the parents’ city', '저는 대전에 살아요. 부모님은 부산에 계세요.', 'Daejeon'],
    ['ko', 'a birthplace after the name', '부산 출신인데 지금은 대전에 살아요', 'Daejeon'],
    ['th', 'a birthplace that is “at” a town', 'อยู่เชียงใหม่ค่ะ แต่บ้านเกิดอยู่ขอนแก่น', 'Chiang Mai'],
    ['hi', 'a brother’s city', 'मैं जयपुर में रहता हूँ, मेरा भाई दिल्ली में है।', 'Jaipur'],
    ['bn', 'a case ending and a birthplace', 'আমি এখন ঢাকায় থাকি, জন্ম চট্টগ্রামে', 'Dhaka'],
    ['ar', 'the family’s city', 'أعيش في عمّان، وأهلي في إربد.', 'Amman'],
    ['ar', 'an origin', 'أعيش في عمّان منذ سنوات، لكن أصلي من حلب', 'Amman'],
    ['he', 'a prefix letter and a birthplace', 'גר בחיפה, נולדתי בירושלים', 'Haifa'],
    ['he', 'a prefix letter on a name of two words', 'גר בתל אביב, נולדתי בחיפה', 'Tel Aviv'],
    ['fa', 'an enclitic and a place the heart is', 'ساکن شیرازم ولی دلم پیش تبریزه', 'Shiraz'],
    ['tr', 'the verb after, the family’s city', "İzmir'de yaşıyorum, ailem Ankara'da.", 'İzmir'],
    ['sw', 'a birthplace', 'Ninaishi Mombasa, lakini nilizaliwa Nairobi.', 'Mombasa'],
    [
      'id',
      'an office',
      'Saya tinggal di Bandung, kerja remote untuk kantor di Jakarta.',
      'Bandung',
    ],
    ['vi', 'a home town', 'Mình quê ở Huế nhưng giờ sống ở Đà Nẵng', 'Da Nang'],
  ])('%s: picks the author’s place beside %s', (lang, _why, text, want) => {
    expect(nameOf(text, lang)).toBe(want);
  });

  it('gives a cue to the name on the side its language writes it, and stops at the next name', () => {
    const text = '부산 출신인데 지금은 대전에 살아요';
    const busan = text.indexOf('부산');
    const daejeon = text.indexOf('대전');
    expect(clauseRole(text, busan, busan + 2, 0, daejeon)?.role).toBe('past');
    expect(clauseRole(text, daejeon, daejeon + 2, busan + 2, text.length)?.role).toBe('home');
  });

  it('stops a window at clause punctuation', () => {
    const text = '老家在重庆，成都';
    const at = text.indexOf('成都');
    expect(clauseRole(text, at, at + 2, 0, text.length)).toBeNull();
  });

  it('matches a spaced-script cue only at the start of a word', () => {
    // "ساکن" (resident) inside another word is no cue.
    expect(clauseRole('xساکن شیراز', 6, 11, 0, 11)).toBeNull();
    expect(clauseRole('ساکن شیراز', 5, 10, 0, 10)?.role).toBe('home');
  });
});

describe('names with a case ending glued on, in languages that write "in" that way', () => {
  it.each([
    ['et', 'Elan Pärnus, ranna lähedal.', 'Pärnu'],
    ['az', 'Gəncədə yaşayıram, bağımız da var.', 'Ganja'],
    ['uz', 'Men Buxoroda yashayman.', 'Bukhara'],
    ['kk', 'Мен Шымкентте тұрамын.', 'Shymkent'],
    ['eu', 'Bilbon bizi naiz aspalditik.', 'Bilbao'],
    ['hy', 'Ես ապրում եմ Գյումրիում։', 'Gyumri'],
    ['ne', 'म पोखरामा बस्छु।', 'Pokhara'],
    ['ta', 'நான் மதுரையில் வசிக்கிறேன்.', 'Madurai'],
    ['hr', 'Živim u Zagrebu već deset godina.', 'Zagreb'],
    ['cs', 'Bydlím v Plzni u pivovaru.', 'Pilsen'],
    ['te', 'నేను గుంటూరులో ఉంటాను.', 'Guntur'],
    ['gu', 'હું સુરતમાં રહું છું.', 'Surat'],
    ['kn', 'ನಾನು ಮಂಗಳೂರಿನಲ್ಲಿ ಇದ್ದೇನೆ.', 'Mangalore'],
    ['ml', 'ഞാൻ ആലപ്പുഴയിൽ താമസിക്കുന്നു.', 'Alappuzha'],
    // Georgian letters have capitals in Unicode, but names are not written with them
    ['ka', 'ვცხოვრობ თბილისში.', 'Tbilisi'],
    // "Tartus" is also a Syrian town and governorate: in Estonian it is "in Tartu"
    ['et', 'Ülikool on siin, elan Tartus juba ammu.', 'Tartu'],
    // "në" (in) folds to the French "né" (born): the accent keeps them apart
    ['sq', 'Jetoj në Durrës prej vitesh.', 'Durrës'],
    ['fr', 'Né à Nantes, je vis à Rennes depuis peu.', 'Rennes'],
  ])('%s: %s', (language, text, city) => {
    expect(nameOf(text, language)).toBe(city);
  });
});

describe('a province named beside a town, and a town that is also an English word', () => {
  it('reads “à Orange, dans le Vaucluse” as the French town, not the word or Orange, California', () => {
    const r = locator().locate({
      html: post("J'habite à Orange, dans le Vaucluse, près du théâtre antique."),
      language: 'fr',
    });
    expect(r?.place.id).toBe(2989460);
  });

  it('reads a Chinese province before a town as its qualifier (黑龙江伊春, not 江西宜春)', () => {
    const r = locator().locate({ html: post('我住在黑龙江伊春，冬天很冷。'), language: 'zh' });
    expect(r?.place.id).toBe(2033413);
  });

  it('reads a département alone as no city', () => {
    expect(nameOf('Je vis dans le Vaucluse depuis dix ans.', 'fr')).toBeNull();
  });
});

describe('Lao, Khmer and Myanmar, written without spaces between words', () => {
  it.each([
    ['km', 'ខ្ញុំរស់នៅភ្នំពេញ។', 'Phnom Penh'],
    ['lo', 'ຂ້ອຍອາໄສຢູ່ວຽງຈັນ', 'Vientiane'],
  ])('%s: %s', (language, text, city) => {
    expect(nameOf(text, language)).toBe(city);
  });
});

describe('Irish and Welsh names whose first letters a word before them changed', () => {
  it.each([
    ['ga', 'eclipsis', 'Táim i mo chónaí i nGaillimh le fada.', 'Gaillimh'],
    ['ga', 'eclipsis of a name of several words', 'Tá cónaí orm i mBaile Átha Cliath.', 'Dublin'],
    ['cy', 'the nasal mutation', 'Dw i wedi byw ym Mangor ers blynyddoedd.', 'Bangor'],
    ['cy', 'the soft mutation', "Rydw i'n byw i Gaerdydd nawr.", 'Cardiff'],
  ])('%s, %s: %s', (language, _how, text, city) => {
    expect(nameOf(text, language)).toBe(city);
  });
});

describe('folding Indic scripts', () => {
  it('keeps the vowel signs that tell Hindi words apart', () => {
    expect(foldName('में')).not.toBe(foldName('मैं'));
    expect(foldName('में')).not.toBe(foldName('म'));
  });

  it('reads no town out of Hindi function words', () => {
    expect(nameOf('मैं यहाँ हूँ, के पास', 'hi')).toBeNull();
  });
});

describe('role words in more European, Asian and African languages', () => {
  it.each([
    ['lv', 'a birthplace', 'Dzimu Liepājā, tagad dzīvoju Rīgā.', 'Riga'],
    ['sl', 'a birthplace', 'Rojen sem v Mariboru, živim v Ljubljani.', 'Ljubljana'],
    ['sl', 'a girlfriend’s city', 'Živim v Ljubljani, moja punca živi v Mariboru.', 'Ljubljana'],
    ['sk', 'a workplace', 'Bývam v Košiciach, ale pracujem v Bratislave.', 'Košice'],
    ['sk', 'a birthplace', 'Bývam v Žiline, narodil som sa v Prahe.', 'Žilina'],
    ['ro', 'the parents’ city', 'Locuiesc în Cluj, părinții mei locuiesc în Iași.', 'Cluj-Napoca'],
    ['is', 'a birthplace', 'Ég bý í Reykjavík en fæddist á Akureyri.', 'Reykjavík'],
    ['no', 'a partner’s city', 'Jeg bor i Bergen, men kjæresten min bor i Oslo.', 'Bergen'],
    ['sv', 'a boyfriend’s city', 'Bor i Umeå, min pojkvän bor i Uppsala.', 'Umeå'],
    ['da', 'a partner’s city', 'Jeg bor i Aarhus, min kæreste bor i Odense.', 'Århus'],
    ['tl', 'a birthplace', 'Nakatira ako sa Cebu, pero ipinanganak ako sa Davao.', 'Cebu City'],
    ['eo', 'a birthplace', 'Mi loĝas en Lyon, sed naskiĝis en Parizo.', 'Lyon'],
    ['bg', 'a girlfriend’s city', 'Живея в Пловдив, а приятелката ми е в София.', 'Plovdiv'],
    ['sr', 'a birthplace', 'Живим у Београду, али сам рођен у Нишу.', 'Belgrade'],
    ['el', 'a sister’s city', 'Κατοικώ στην Πάτρα, η αδελφή μου μένει στην Αθήνα.', 'Pátra'],
    ['ur', 'a brother’s city', 'میں لاہور میں رہتا ہوں، میرا بھائی کراچی میں ہے۔', 'Lahore'],
  ])('%s: a home word picks the author’s city over %s', (lang, _why, text, want) => {
    expect(nameOf(text, lang)).toBe(want);
  });

  it.each([
    ['sl', 'Celje. Dopust v Piranu.', 'Celje'],
    ['sk', 'Nitra. Dovolenka v Poprade.', 'Nitra'],
    ['ro', 'Brașov. Vacanță în Constanța.', 'Braşov'],
    ['is', 'Reykjavík. Ferðalag á Akureyri.', 'Reykjavík'],
    ['no', 'Trondheim. Ferie i Bergen.', 'Trondheim'],
    ['da', 'Aalborg. Ferie i Skagen.', 'Aalborg'],
    ['sv', 'Malmö. Semester i Visby.', 'Malmö'],
    ['eo', 'Lyon. Ferioj en Parizo.', 'Lyon'],
  ])('%s: a holiday word sinks the city it governs (%s)', (lang, text, want) => {
    expect(nameOf(text, lang)).toBe(want);
  });

  it.each([
    ['sl', 'Nisem iz Maribora, sem iz Celja.', 'Celje'],
    ['is', 'Ég er ekki frá Reykjavík, ég er frá Akureyri.', 'Akureyri'],
  ])('%s: a “not” before the preposition denies the place (%s)', (lang, text, want) => {
    expect(nameOf(text, lang)).toBe(want);
  });

  // Names these languages inflect ("თბილისში", "சென்னையில்") are a matter for inflection.ts; the
  // cue around them is read already.
  it.each([
    ['ka', 'ვცხოვრობ თბილისში', 'თბილისში', 'home'],
    ['hy', 'ծնվել եմ Գյումրիում', 'Գյումրիում', 'past'],
    ['ta', 'சென்னையில் வசிக்கிறேன்', 'சென்னையில்', 'home'],
    ['te', 'వరంగల్‌లో పుట్టాను', 'వరంగల్‌లో', 'past'],
    ['am', 'አዲስ አበባ እኖራለሁ', 'አዲስ አበባ', 'home'],
    ['eu', 'Donostian jaio nintzen', 'Donostian', 'past'],
    ['bg', 'на почивка във Варна', 'Варна', 'trip'],
    ['hu', 'a szüleim Debrecenben laknak', 'Debrecenben', 'other'],
  ])('%s: reads the role of “%s” from the raw clause', (_lang, text, name, role) => {
    const at = text.indexOf(name);
    expect(clauseRole(text, at, at + name.length, 0, text.length)?.role).toBe(role);
  });
});

describe('Slavic names of two words, and plural names, after a preposition', () => {
  it.each([
    ['sr', 'Већ пет година радим у Новом Саду као наставница.', 'Novi Sad'],
    ['sk', 'Od leta bývame v Banskej Bystrici, blízko námestia.', 'Banská Bystrica'],
    ['pl', 'Od roku mieszkam w Nowym Sączu, w górach.', 'Nowy Sącz'],
    ['ru', 'Мы живём в Нижнем Новгороде, на Волге.', 'Nizhniy Novgorod'],
    ['uk', 'Я живу у Білій Церкві, недалеко від річки.', 'Bila Tserkva'],
  ])('%s: reads the adjective and the noun of “%s” together', (language, text, name) => {
    expect(nameOf(text, language)).toBe(name);
  });

  it.each([
    ['ru', 'Работаю в Москве, а живу в Мытищах уже давно.', 'Mytishchi'],
    ['uk', 'Працюю в Києві, а живу в Броварах з дітьми.', 'Brovary'],
    ['pl', 'Pracuję w Katowicach, mieszkam w Tychach od dziecka.', 'Tychy'],
  ])(
    '%s: reads a town whose name is a plural, and not the workplace, in “%s”',
    (language, text, name) => {
      expect(nameOf(text, language)).toBe(name);
    },
  );
});

describe('“I live” in languages a set holds a post or two of', () => {
  it.each([
    [
      'fy',
      'the verb before, in an ASCII post',
      'Ik wenje al jierren yn Snits, tichtby it wetter.',
      'Sneek',
    ],
    ['mn', 'the verb after “city”', 'Би Дархан хотод амьдардаг, ажил ойрхон.', 'Darhan'],
    ['ky', 'the verb after “in the city”', 'Мен Каракол шаарында жашайм, көл жакын.', 'Karakol'],
  ])('%s: reads %s as home', (language, _how, text, name) => {
    expect(nameOf(text, language)).toBe(name);
  });
});

describe('prepositions of other languages in an English post', () => {
  it('reads “no” and “do” as English words, not as Portuguese “in the”: “no Roman roads”', () => {
    const r = locator().reading({
      html: post('Athens, Ohio — a college town, no Roman roads.'),
      language: 'en',
    });
    const roman = r.results?.find((x) => x.place.name === 'Roman');
    expect(roman).toBeDefined();
    expect(roman!.role).not.toBe('locative');
    expect(nameOf('Moro no Recife há dez anos.', 'pt')).toBe('Recife');
  });

  it('reads a holiday after “at” as a time, not the town it also names', () => {
    expect(nameOf('Nome, Alaska. Gold rush town, snow at Christmas and no roads out.', 'en')).toBe(
      'Nome',
    );
  });
});

describe('hyphenated Slavic names, inflected', () => {
  it.each([
    ['pl', 'Od pięciu lat mieszkam w Bielsku-Białej, pod Szyndzielnią.', 'Bielsko-Biala'],
    ['ru', 'Я живу в Ростове-на-Дону, у самой реки.', 'Rostov-na-Donu'],
  ])('%s: reads “%s”', (language, text, name) => {
    expect(nameOf(text, language)).toBe(name);
  });
});

describe('Han characters of a Japanese town in a Chinese post', () => {
  it('are the words when the town is small (小山, “a small mountain”), the city when it is big', () => {
    expect(nameOf('我家在四川的一个小山坡上，空气很好。', 'zh')).toBeNull();
    expect(nameOf('我现在住在东京，工作很忙。', 'zh')).toBe('Tokyo');
  });
});

describe('spoken Arabic', () => {
  it('reads “عايش في” (Egyptian, living in) as home, and the name without the article GeoNames writes', () => {
    expect(nameOf('أنا من طنطا بس عايش في منصورة دلوقتي، الجو حلو.', 'ar')).toBe('Al Manşūrah');
  });
});

describe('Zulu and Xhosa “in” written on the name', () => {
  it.each([
    ['zu', 'Sawubona! Ngihlala ePietermaritzburg, eduze kwesikhungo.', 'Pietermaritzburg'],
    ['xh', 'Molo! Ndihlala eMthatha, ndiyayithanda.', 'Mthatha'],
  ])('%s: reads “%s”', (language, text, name) => {
    expect(nameOf(text, language)).toBe(name);
  });
});
