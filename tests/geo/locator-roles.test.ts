import { describe, expect, it } from 'vitest';
import type { createLocator } from '../../server/geo/locator.js';
import type { LocateInput } from '../../server/geo/types.js';
import { hashtag, post, useCampaignLocator } from './campaign-locator.js';

const locator = useCampaignLocator();

const locate = (html: string, extra: Partial<LocateInput> = {}) =>
  locator().locate({ html, language: 'en', ...extra });
const nameOf = (html: string, extra: Partial<LocateInput> = {}): string | null =>
  locate(html, extra)?.place.name ?? null;

describe('the role of each place in its sentence', () => {
  it.each([
    ['someone else lives there', 'My sister lives in Sydney but I live in Auckland', 'Auckland'],
    ['a trip', 'Hello from Leipzig! Visiting Prague next week', 'Leipzig'],
    ['a trip from one city to another', 'From Lyon, flying to Montreal for a conference', 'Lyon'],
    ['moved to, from', 'Just moved to Leeds from Bristol', 'Leeds'],
    ['used to live', 'Tucson, AZ. Used to live in Seattle', 'Tucson'],
    ['have lived', 'Born in Boston, but I have lived in Raleigh for years', 'Raleigh'],
    ['shipping', 'We ship from Leipzig to Toronto and Osaka', 'Leipzig'],
    ['a book', 'Reading a novel set in Dublin, here in Cork', 'Cork'],
    ['a landmark nearby', 'Vancouver, WA, just across the river from Portland', 'Vancouver'],
    ['a birthplace in a compound', 'Brooklyn-born, Philadelphia-based.', 'Philadelphia'],
    ['work', 'Ich wohne in Freiburg, arbeite aber oft in Basel und Zürich', 'Freiburg'],
    ['relatives in Spanish', 'Vivo desde Bilbao; mi hermana vive en Donostia', 'Bilbao'],
    ['a possessive', "Dad's in Tel Aviv, sister's in Berlin, I'm in Haifa.", 'Haifa'],
    ['a publisher', "I'm in Cape Town; my publisher's in Johannesburg", 'Cape Town'],
    [
      'the reader',
      'Auckland — waving from the other side of the world to you in London!',
      'Auckland',
    ],
    [
      'headquarters',
      "Boston. Our company's HQ is in San Francisco but I'm fully remote.",
      'Boston',
    ],
    ['a settled compound', 'Kolkata-born, Delhi-raised, Chennai-settled.', 'Chennai'],
    ['next week', 'Seit drei Jahren in Zürich. Nächste Woche kurz in Mailand.', 'Zürich'],
    ['a past home with a state', 'I live in Prague, originally Cleveland, Ohio', 'Prague'],
    [
      'a birthplace, with “I’ve lived”',
      "Born in the Bronx, but I've lived in Raleigh for 20 years",
      'Raleigh',
    ],
    ['a clause after it', '#NYC is where I work, #Hoboken is where I sleep', 'Hoboken'],
    ['“now” after it', 'Dallas now, El Paso forever 🌵', 'Dallas'],
    ['a pin emoji', '📍Lyon — née à Marseille, études à Grenoble', 'Lyon'],
    ['a past verb with “since”', 'Grew up near Akron, lived in Dayton since 2011.', 'Dayton'],
    ['a demonym “in exile”', "I'm a Detroiter in exile, settled in Tucson.", 'Tucson'],
    ['a birthplace before a comma', 'Leeds born and bred, moved to York in 2010.', 'York'],
    ['a misspelling in lower case after “to”', 'new in town! just moved to edinbrugh', 'Edinburgh'],
  ])('picks the author’s own place when another is %s', (_why, text, want) => {
    expect(nameOf(post(text))).toBe(want);
  });

  it('reads a relative clause after the name in Portuguese', () => {
    expect(
      nameOf(post('São Paulo é onde eu moro; o Rio é onde eu queria morar 😅'), { language: 'pt' }),
    ).toBe('São Paulo');
  });

  it('reads studying as a place that is not home', () => {
    expect(nameOf(post('Bor i Uppsala, pluggar i Stockholm.'), { language: 'sv' })).toBe('Uppsala');
  });

  it.each([
    ['a finished trip', 'Just got back from two weeks in Kyoto'],
    ['a trip alone', 'Flying from Boston to Denver today'],
    ['a story', 'My favourite novel is set in Dublin'],
    ['a relative alone', 'My parents live in Perth'],
    [
      'a list of past homes',
      "I've lived in Paris, Rome and Vienna, but where I am now is my secret",
    ],
  ])('puts no pin when the only place is %s', (_why, text) => {
    expect(locate(post(text))).toBeNull();
  });

  it('says why, naming what the other places are', () => {
    expect(
      locate(post('Vivo desde Bilbao; mi hermana vive en Donostia'), { language: 'es' })?.reason,
    ).toBe('‘Vivo desde Bilbao’ is where the author is; ‘Donostia’ is where someone else is');
    expect(locate(post('Hello from Leipzig! Visiting Prague next week'))?.reason).toBe(
      '‘from Leipzig’ is where the author is; ‘Prague’ is a trip, not home',
    );
  });
});

describe('a stay bounded in time is a trip, and relatives’ town is theirs', () => {
  it.each([
    ['fr', 'En week-end à Bordeaux avec les copains 🍷', 'Toulouse'],
    ['pt', 'Estou de passagem em Recife, só até domingo.', 'Fortaleza'],
    ['en', 'Spending Christmas in Denver with the whole clan.', 'Tulsa, OK'],
    ['en', 'My in-laws in Leeds send their love.', 'York'],
  ])('%s: “%s” leaves the profile’s city', (language, text, profileLocation) => {
    expect(nameOf(post(text), { language, profileLocation })).toBe(profileLocation.split(',')[0]);
  });
});

describe('a common English word that is also a small town', () => {
  it('is the word when it stands with no cue in an English post: “Rain. Again.”', () => {
    const text = `Rain. Again. Still love this city. ${hashtag('Glasgow')}`;
    expect(nameOf(post(text))).toBe('Glasgow');
  });
});

describe('work and family named after the place', () => {
  it('reads “for work” after a name as a workplace, and “for work this week” as a trip', () => {
    const reader = locator() as ReturnType<typeof createLocator>;
    const roleOf = (text: string, name: string, language = 'en') =>
      reader.reading({ html: post(text), language }).results?.find((r) => r.place.name === name)
        ?.role;
    expect(roleOf('Denver for work, Boulder for everything else.', 'Denver')).toBe('work');
    expect(roleOf('A Milano per lavoro questa settimana.', 'Milan', 'it')).toBe('trip');
  });

  it('reads the town the author corrects to as home, and the one corrected as not', () => {
    expect(nameOf(post('I live in Austin — well, Round Rock technically.'))).toBe('Round Rock');
    expect(nameOf(post('Salem? No — Keizer. Well, Beaverton actually.'))).toBe('Beaverton');
    expect(nameOf(post('Well, Boston is lovely in May. I live in Denver.'))).toBe('Denver');
  });

  it('keeps the children’s town theirs, whatever “now” after it says', () => {
    const text = "Both kids are at college in Austin now, so it's an empty nest in Waco.";
    expect(nameOf(post(text))).toBe('Waco');
  });

  it('reads no misspelt town in a street’s name (“Belgrave Road” is no Belgrade)', () => {
    expect(locate(post('Morning coffee on Belgrave Road, as always.'))).toBeNull();
  });
});

describe('where the author moved from and to', () => {
  it.each([
    [
      'en',
      'a conjunction ends the origin’s clause',
      'Originally from Regina but moved to Calgary in 2015.',
      'Calgary',
    ],
    ['fr', '“quitté” is a past home', 'On a quitté Nantes pour Angers cet été.', 'Angers'],
    ['ro', '“din” is “from”', 'Locuiesc în Timișoara, m-am mutat din Arad.', 'Timişoara'],
    ['uk', 'a cue word with ї, which folding writes і', 'Переїхав з Одеси до Львова.', 'Lviv'],
  ])('%s, %s: %s', (language, _why, text, city) => {
    expect(nameOf(post(text), { language })).toBe(city);
  });
});

describe('a home denied', () => {
  it.each([
    ['es', 'No vivo en Rosario, eso fue hace mucho.'],
    ['en', "I don't live in Leeds, whatever my profile says."],
    ['hr', 'Ne živim u Zagrebu, samo radim tamo.'],
  ])('%s: %s is no city', (language, text) => {
    expect(nameOf(post(text), { language })).toBeNull();
  });

  it('still reads a home after “No,” that answers a question', () => {
    expect(nameOf(post('No, I live in Leeds.'))).toBe('Leeds');
  });
});

describe('names that are no town here', () => {
  it.each([
    ['a landscape after an article', 'Greetings from the Black Forest 🌲🌲🌲', 'en'],
    ['a region after a Spanish article', 'Desde la Patagonia 🐧', 'es'],
    ['a planet', 'Mars 🔴 (the commute is brutal)', 'en'],
    ['a trip with “off to”', 'Off to Lisbon tomorrow!!', 'en'],
    [
      'a name in a state where no namesake lies',
      'Sunshine Coast, BC — no traffic lights needed',
      'en',
    ],
    ['a Japanese prefecture', '北海道からこんにちは！🐄', 'ja'],
    ['a greeting in kana', 'こんにちは', 'ja'],
  ])('puts no pin for %s', (_why, text, language) => {
    expect(locate(post(text), { language })).toBeNull();
  });

  it('keeps a town whose name holds the article, and an alias after one', () => {
    expect(nameOf(post('Greetings from The Hague'))).toBe('The Hague');
    expect(nameOf(post('Living in the Big Apple'))).toBe('New York City');
  });

  it('keeps a name whose state code is one the data does not have', () => {
    expect(nameOf(post('Recife, PE 🌴'), { language: 'pt' })).toBe('Recife');
  });
});

describe('the profile’s location field', () => {
  it('reads an arrow as a move: the place after it is where the person is', () => {
    expect(nameOf(post('💙💛'), { profileLocation: 'she/her | 🇺🇦 | Lviv → Berlin' })).toBe(
      'Berlin',
    );
  });

  it('reads a field that is one city code as the code', () => {
    expect(nameOf(post('🌹'), { profileLocation: 'PDX' })).toBe('Portland');
  });

  it('yields to the post’s own trip only when the post names no home', () => {
    expect(nameOf(post('Off to Rome tomorrow! 🍝'), { profileLocation: 'Zagreb' })).toBe('Zagreb');
  });

  it('places the person when the post names no place of theirs', () => {
    const r = locate(post('count me in!'), { profileLocation: 'Lyon, France' });
    expect(r?.place).toMatchObject({ name: 'Lyon', country: 'FR' });
    expect(r?.reason).toBe("from the profile's location field (‘Lyon, France’)");
    expect(nameOf(post('so glad to join'), { profileLocation: 'she/her · Leeds' })).toBe('Leeds');
  });

  it('does not place the person from vague text, a region or a country', () => {
    for (const profileLocation of ['Earth', 'she/her', 'Pacific Northwest', 'Texas', 'Canada'])
      expect(locate(post('count me in!'), { profileLocation }), profileLocation).toBeNull();
  });

  it('yields to the post when the post names the author’s own place', () => {
    // "Greetings from Lisbon" beside a profile saying Berlin may be a trip: the fitted scorer
    // weighs that one near its threshold. A stated home is not in doubt.
    expect(nameOf(post('I live in Lisbon now'), { profileLocation: 'Berlin' })).toBe('Lisbon');
    expect(nameOf(post('Greetings from Lisbon'), { profileLocation: 'Berlin' })).not.toBe('Berlin');
  });

  it('still places the person when the post names only someone else’s place', () => {
    expect(nameOf(post('my brother lives in Madrid'), { profileLocation: 'Berlin' })).toBe(
      'Berlin',
    );
  });
});

describe('regions and codes from data', () => {
  it('reads a county or province from GeoNames admin2 as no city', () => {
    expect(locate(post('Cornwall ☀️🌊'))).toBeNull();
    expect(locate(post('Upstate New York, where the snow lives'))).toBeNull();
  });

  it('keeps a town named after its province', () => {
    expect(nameOf(post('Saluti da Napoli'), { language: 'it' })).toBe('Naples');
  });

  it('reads the city codes GeoNames lists as hashtags in capitals', () => {
    expect(nameOf(post(hashtag('PDX')))).toBe('Portland');
    expect(nameOf(post(`${hashtag('BCN')} ☀️`))).toBe('Barcelona');
    expect(nameOf(post(`Servus aus ${hashtag('Muc')}`), { language: 'de' })).toBe('Munich');
    expect(locate(post(`${hashtag('sea')} views today`))).toBeNull();
  });

  it('reads an ISO alpha-3 country code after a name as its country, but not one that is a word', () => {
    expect(locate(post('Valencia ESP'))?.place.country).toBe('ES');
    expect(locate(post('Córdoba ARG 🥩'))?.place.country).toBe('AR');
    expect(locate(post('London CAN we talk'))?.place.country).not.toBe('CA');
  });

  it('keeps a city code that is also an alpha-3 code for the city', () => {
    expect(nameOf(post(`${hashtag('Blr')} tech worker`))).toBe('Bengaluru');
  });

  it('reads a two-letter tag in capitals as the city when alone, and as the state after a name', () => {
    expect(nameOf(post(`${hashtag('LA')} traffic is a lifestyle`))).toBe('Los Angeles');
    expect(nameOf(post(`Baton Rouge, ${hashtag('LA')} geaux Tigers`))).toBe('Baton Rouge');
    expect(locate(post(`${hashtag('la')} vie en rose`))).toBeNull();
  });

  it('reads initials and a US state code in capitals as the state’s biggest town with them', () => {
    expect(nameOf(post(`${hashtag('HTX')} 🚀`))).toBe('Houston');
    expect(nameOf(post(`${hashtag('SATX')} 🌮`))).toBe('San Antonio');
    expect(nameOf(post(`${hashtag('NOLA')} 🎺`))).toBe('New Orleans');
    expect(locate(post(`${hashtag('MAGA')}`))).toBeNull();
  });

  it('reads a common word that opens the post alone as a city only when the city is very big', () => {
    expect(nameOf(post('Phoenix, hot as ever'))).toBe('Phoenix');
    expect(locate(post('Nice! love it'))).toBeNull();
  });

  it('reads the code of a city-state as its city, and other country codes as no city', () => {
    expect(nameOf(post(`${hashtag('HK')} 🌃`))).toBe('Hong Kong');
    expect(nameOf(post(`${hashtag('SG')} lah`))).toBe('Singapore');
    expect(locate(post(`${hashtag('FR')} 🥐`))).toBeNull();
  });

  it('chooses the namesake that lies beside a landmark the post names', () => {
    const r = locate(post('Cambridge, right across the river from Boston 🦆'));
    expect(r?.place).toMatchObject({ name: 'Cambridge', country: 'US' });
    expect(r?.reason).toContain('‘Boston’ is a landmark nearby');
  });

  it('reads a flag of Scotland as Scotland, and lets no flag make a lower-case word a town', () => {
    const r = locate(
      post(
        'Perth, on the banks of the Tay 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      ),
    );
    expect(r?.place).toMatchObject({ name: 'Perth', country: 'GB' });
  });

  it('reads a Catalan post as written in Spain', () => {
    expect(locate(post('València 🍊 la terreta'), { language: 'ca' })?.place.country).toBe('ES');
  });

  it('uses a region named elsewhere in the post to choose the namesake', () => {
    expect(locate(post('Naples 🌴 Gulf sunsets, Florida winter done right'))?.place.country).toBe(
      'US',
    );
  });
});

describe('“X is home” after the name', () => {
  it.each([
    ['I fly to Chicago most weeks, but Madison is home and always will be.', 'en', 'Madison'],
    ['Ich pendle nach Köln, aber Bonn ist meine Heimat.', 'de', 'Bonn'],
    ['Trabajo en Lima a veces, pero Arequipa es mi hogar.', 'es', 'Arequipa'],
  ])('reads the name before “is home” as home: “%s”', (text, language, name) => {
    expect(locator().locate({ html: post(text), language })?.place.name).toBe(name);
  });

  it('reads “home to” as another sense: “Boston is home to …” says nothing of the author', () => {
    const r = locator().reading({
      html: post('Boston is home to too many universities, but I live in Providence.'),
      language: 'en',
    });
    expect(r.answer?.place.name).toBe('Providence');
    expect(r.results?.find((x) => x.place.name === 'Boston')?.role).not.toBe('home');
  });
});

describe('“now” before the subject', () => {
  it('makes the place home: “… and now I’m in York”', () => {
    const r = locator().reading({
      html: post('Did my degree in Leeds, and now I’m in York teaching physics.'),
      language: 'en',
    });
    expect(r.results?.find((x) => x.place.name === 'York')?.role).toBe('home');
  });
});
