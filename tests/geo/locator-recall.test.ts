// Rules from the round on unseen posts (issue #14): each is a language-wide cue (grammar, a word
// class, GeoNames data), shown here on posts written for these tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocateInput } from '../../server/geo/types.js';
import { editDistance } from '../../server/geo/typos.js';
import { hashtag, post, useCampaignLocator } from './campaign-locator.js';

const locator = useCampaignLocator();

const locate = (text: string, extra: Partial<LocateInput> = {}) =>
  locator().locate({ html: post(text), language: 'en', ...extra });

describe('the author’s place among several on unseen posts', () => {
  it.each([
    [
      'a Czech case form whose stem is an airport code',
      'Dnes píšu z Brna, venku prší',
      'cs',
      'Brno',
      '‘z Brna’ is where the author is',
    ],
    [
      'a Czech locative whose stem is an alternate of another town',
      'Od loňska žiju v Brně a je mi tu dobře',
      'cs',
      'Brno',
      '‘v Brně’ is where the author is',
    ],
    [
      'a French elided pronoun before a home verb',
      'Je suis à Paris pour le salon, mais j’habite à Rennes',
      'fr',
      'Rennes',
      '‘j’habite à Rennes’ is where the author is',
    ],
    [
      'a Dutch verb-second clause (verb, subject, place)',
      'Vaak ben ik in Rotterdam, maar eigenlijk woon ik in Groningen',
      'nl',
      'Groningen',
      '‘woon ik in Groningen’ is where the author is',
    ],
    [
      'a Catalan home verb beside a work verb',
      'Visc a Sabadell i treballo a Barcelona',
      'ca',
      'Sabadell',
      '‘Barcelona’ is where the author works',
    ],
    [
      'an Italian “I go to” as a trip',
      'Sono di Bergamo. Sabato vado a Milano per il concerto',
      'it',
      'Bergamo',
      '‘Milano’ is a trip, not home',
    ],
    [
      'years spent somewhere as the past',
      'From Denver, spent two years in Austin before that',
      'en',
      'Denver',
      '‘Austin’ is where the author used to be',
    ],
    [
      'a Polish move from one city to another',
      'W zeszłym roku przeprowadziłem się z Krakowa do Gdańska',
      'pl',
      'Gdańsk',
      '‘Krakowa’ is where the author used to be',
    ],
    [
      'a stay that began at a date',
      'Left Portland last spring; Tucson since March.',
      'en',
      'Tucson',
      '‘Tucson since March’ is where the author is',
    ],
    [
      'a stay of years',
      'Born in Glasgow, Dundee for twelve years now',
      'en',
      'Dundee',
      '‘Dundee for twelve years’ is where the author is',
    ],
    [
      'a relative clause that says home',
      'Hello from Bergen, where I live, and from Oslo, where the conference is',
      'en',
      'Bergen',
      '‘Bergen, where I live’ is where the author is',
    ],
    [
      'a denied place',
      'Nicht aus Berlin, sondern aus Leipzig',
      'de',
      'Leipzig',
      '‘Berlin’ is where the author says they are not',
    ],
    [
      'a small town’s other-language name after a home verb',
      'We live in Meran, high above the valley',
      'en',
      'Merano',
      '‘live in Meran’ is where the author is',
    ],
    [
      'a lower-case name after a home verb',
      'grew up in boston, went to college in providence, live in columbus',
      'en',
      'Columbus',
      '‘live in columbus’ is where the author is',
    ],
    [
      'a demonym after “I’m a”',
      'I’m a proud Bostonian; stuck in Denver airport again today',
      'en',
      'Boston',
      '‘I’m a proud Bostonian’ is where the author is',
    ],
    [
      'a demonym that is not the author’s (no first person)',
      'Ordered a Hamburger in Denver, the best in town',
      'en',
      'Denver',
      '‘in Denver’ is where the author is',
    ],
    [
      'Hungarian verbs after inflected names',
      'Pécsen születtem, most Győrben élek',
      'hu',
      'Győr',
      '‘Pécsen’ is where the author used to be',
    ],
    [
      'a Ukrainian “for work” after the name',
      'Я зі Львова, а в Одесі часто по роботі',
      'uk',
      'Lviv',
      'is where the author works',
    ],
    [
      'an Indonesian “next month” and a lower-case word before a name',
      'Kami tinggal di Bandung. Bulan depan ke Surabaya',
      'id',
      'Bandung',
      '‘Surabaya’ is a plan, not home',
    ],
    [
      'Swahili parents',
      'Wazazi wangu wako Mombasa. Habari kutoka Nairobi!',
      'sw',
      'Nairobi',
      '‘Mombasa’ is where someone else is',
    ],
    [
      'an Indonesian denial',
      'Salam dari Semarang, bukan dari Solo',
      'id',
      'Semarang',
      'is where the author says they are not',
    ],
    [
      'a landmark whose name ends in a place noun',
      'My sister’s in Denver; me? Boulder, obviously 🏔️ Flagstaff Mountain says hi',
      'en',
      'Boulder',
      '‘Boulder’ is the place the post names',
    ],
    [
      'a sequence of moves',
      'Moved from Tulsa to Wichita in 2015, then to Omaha last spring',
      'en',
      'Omaha',
      '‘Wichita’ is where the author used to be',
    ],
    [
      'the French recent past of moving',
      'Nous venons de déménager de Lille à Nantes, tout est en cartons',
      'fr',
      'Nantes',
      '‘Lille’ is where the author used to be',
    ],
    [
      'the Spanish recent past of moving',
      'Acabo de mudarme de Sevilla a Málaga',
      'es',
      'Málaga',
      '‘Sevilla’ is where the author used to be',
    ],
    [
      'the reader’s trip, not the author’s',
      'Tucson ☀️ enjoy your vacation, friends',
      'en',
      'Tucson',
      '‘Tucson’ is the place the post names',
    ],
    [
      'what the author is, with the namesake in the country of the post’s other names',
      'Touring Sevilla, Málaga and Granada in May! We’re a Córdoba band, by the way',
      'en',
      'Córdoba',
      '‘We’re a Córdoba band’ is where the author is',
    ],
    [
      'a team the author supports',
      'I’m a Liverpool fan, writing from Oslo',
      'en',
      'Oslo',
      '‘from Oslo’ is where the author is',
    ],
    [
      '“now” after the name, closed by an emoji',
      'Denver now 🏔️ Chicago was a long time ago',
      'en',
      'Denver',
      '‘Denver now’ is where the author is',
    ],
    [
      'a name as the subject of a past copula',
      'Seattle was a long time ago. Spokane these days 🌲',
      'en',
      'Spokane',
      '‘Seattle’ is where the author used to be',
    ],
    [
      'a trip in the past copula',
      'Lisbon was a great trip, but greetings from Leeds',
      'en',
      'Leeds',
      '‘Lisbon’ is a trip, not home',
    ],
    [
      'a transplant, who came from the town named',
      'I’m a Chicago transplant, living in Denver these days',
      'en',
      'Denver',
      '‘Chicago’ is where the author used to be',
    ],
    [
      'a Polish locative whose t became c',
      'Od roku mieszkam w Madrycie i uczę polskiego',
      'pl',
      'Madrid',
      '‘mieszkam w Madrycie’ is where the author is',
    ],
    [
      'a Croatian locative whose k became c, beside a workplace',
      'Radim u Zagrebu, ali živim u Rijeci već deset godina',
      'hr',
      'Rijeka',
      '‘živim u Rijeci’ is where the author is',
    ],
    [
      'a Serbian locative with its fleeting a gone',
      'Живим у Чачку, на Морави',
      'sr',
      'Čačak',
      '‘Живим у Чачку’ is where the author is',
    ],
    [
      'a childhood town and a grown-up one, each told by the word after it',
      'Glasgow kid, Dundee adult. Jute and jam forever',
      'en',
      'Dundee',
      '‘Dundee adult’ is where the author is',
    ],
    [
      'a local of the town named',
      'Hobart local, not a fan of the cold',
      'en',
      'Hobart',
      '‘Hobart local’ is where the author is',
    ],
    [
      'a Japanese workplace and home, each named before its place',
      '会社は大阪、家は神戸です。',
      'ja',
      'Kobe',
      '‘大阪’ is where the author works',
    ],
    [
      'a Korean workplace and home',
      '회사는 서울, 집은 인천이에요.',
      'ko',
      'Incheon',
      '‘집은 인천’ is where the author is',
    ],
    [
      'a Chinese home and company',
      '我家在苏州，公司在上海。',
      'zh',
      'Suzhou',
      '‘上海’ is where the author works',
    ],
    [
      'a French office beside a plain “à”',
      'Mon bureau est à Lyon, mais je suis à Grenoble.',
      'fr',
      'Grenoble',
      '‘Lyon’ is where the author works',
    ],
    [
      'a name taken back with “no wait”',
      'Hi from Leeds... no wait, York. Always York.',
      'en',
      'York',
      '‘Leeds’ is where the author says they are not',
    ],
    [
      'a Polish name taken back with “nie”',
      'Mieszkam w Gdańsku—nie, w Gdyni.',
      'pl',
      'Gdynia',
      '‘nie, w Gdyni’ is where the author is',
    ],
    [
      'a town spoken to, not taken back',
      'Melbourne. Sorry Sydney, we are better.',
      'en',
      'Melbourne',
      '‘Melbourne’',
    ],
    [
      'a Spanish life story ending in “ahora estoy en”',
      'Nací en Salta, estudié en Tucumán y ahora estoy en Jujuy.',
      'es',
      'San Salvador de Jujuy',
      '‘ahora estoy en Jujuy’ is where the author is',
    ],
    [
      'a German “jetzt” before a move',
      'Ich bin jetzt nach Graz gezogen!',
      'de',
      'Graz',
      '‘jetzt nach Graz’ is where the author is',
    ],
    [
      'a smaller namesake qualified by “in” and its region',
      'Perth in Scotland, by the Tay, is home',
      'en',
      'Perth',
      '‘Perth in Scotland’',
    ],
  ])('reads %s', (_why, text, language, want, reason) => {
    const r = locate(text, { language });
    expect(r?.place.name ?? null).toBe(want);
    expect(r?.reason).toContain(reason);
  });
});

describe('a short stay is a trip, so the profile places the person', () => {
  it.each([
    ['a stay of a week', 'In Lisbon for a week, eating far too many pastries', 'en', 'Porto'],
    ['a French weekend', 'Je suis à Bordeaux ce week-end pour un mariage', 'fr', 'Lille'],
    ['an airport after the name', 'Three hours sitting in Denver airport', 'en', 'Omaha'],
    ['a lower-case word that is a hamlet', 'Between jobs and in limbo again', 'en', 'Sacramento'],
    ['a Portuguese flight', 'Voo pra Lisboa amanhã cedo, que nervoso', 'pt', 'Recife'],
  ])('reads %s', (_why, text, language, profile) => {
    const r = locate(text, { language, profileLocation: profile });
    expect(r?.place.name ?? null).toBe(profile);
    expect(r?.reason).toContain("from the profile's location field");
  });
});

describe('a misspelt town before its state', () => {
  it.each([
    ['Sacremento, CA — too hot again this week', 'Sacramento'],
    ['Minneaplois, MN and the lakes are frozen', 'Minneapolis'],
  ])('reads “%s” as %s', (text, want) => {
    const r = locate(text);
    expect(r?.place.name ?? null).toBe(want);
    expect(r?.place.country).toBe('US');
  });

  it('places nobody when no town of that state is within an edit or two', () => {
    expect(locate('Bramblewick, CA is where my imagination lives')).toBeNull();
  });

  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('minneaplois', 'minneapolis', 2)).toBe(1);
    expect(editDistance('sacremento', 'sacramento', 2)).toBe(1);
    expect(editDistance('boston', 'austin', 2)).toBe(3);
  });

  it('agrees with the textbook table on any pair of words, whatever came before', () => {
    // The rows are reused between calls: a long pair must not leave anything behind for the next.
    const reference = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(
            d[i - 1]![j]! + 1,
            d[i]![j - 1]! + 1,
            d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      return d[a.length]![b.length]!;
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 40 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        expect(editDistance(a, b, max)).toBe(Math.min(reference(a, b), max + 1));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a town told from its namesake in Chinese, Japanese and Korean', () => {
  it('reads a home cue across the province before the town, and “不是” as a denial', () => {
    expect(locate('我住在浙江台州，不是江苏泰州。', { language: 'zh' })?.place.id).toBe(8400694);
    expect(locate('我住在江苏泰州，不是浙江台州。', { language: 'zh' })?.place.id).toBe(1793505);
  });

  it('keeps the home a post names when a denial of the namesake reads as the same place', () => {
    // GeoNames has no 전라도 (the old Jeolla province) to tell the denied Gwangju apart.
    const r = locate('경기도 광주에서 살고 있어요. 전라도 광주 아니에요!', { language: 'ko' });
    expect(r?.place.id).toBe(1841810);
    expect(
      locate('강원도 고성에 살아요. 경남 고성 아니에요.', { language: 'ko' })?.place.admin1,
    ).toBe('Gangwon-do');
  });

  it('reads “everyone … lives in” as other people', () => {
    expect(locate('Stop assuming everyone here lives in Toronto.')).toBeNull();
  });
});

describe('a profile field with a code or a second name beside the town', () => {
  it.each([
    ['Winterthur ZH', 'Winterthur'],
    ['Eindhoven, NB', 'Eindhoven'],
    ['Geelong, Vic', 'Geelong'],
    ['Tāmaki Makaurau / Auckland', 'Auckland'],
  ])('reads “%s” as %s', (field, want) => {
    const r = locate('Retired teacher, fan of tea.', { profileLocation: field });
    expect(r?.place.name).toBe(want);
  });

  it('gives no place when its parts name two towns', () => {
    expect(
      locate('Retired teacher, fan of tea.', { profileLocation: 'Zwolle / Deventer' }),
    ).toBeNull();
  });
});

describe('the ninth round: the author’s town among its neighbours', () => {
  it('reads a name that is the whole first sentence as where the author is', () => {
    const r = locate('Kamloops. Sister in Kelowna, and I fly out of Vancouver a lot.');
    expect(r?.place.name).toBe('Kamloops');
    expect(r?.reason).toContain('‘Kamloops’ is where the author is');
    // …not a word or a greeting that names a hamlet
    expect(locate('Rain. Again. Still love this city.')).toBeNull();
  });

  it('keeps a town named with its state apart from the big city beside it', () => {
    const r = locate('Kent, Washington, just south of Seattle. Rain and warehouses.');
    expect(r?.place.name).toBe('Kent');
    expect(r?.place.admin1).toBe('Washington');
  });

  it('reads “north of” a city as beside it, not in it', () => {
    expect(locate('I live an hour north of Toronto, in cottage country.')).toBeNull();
  });

  it('ignores the city of a time zone', () => {
    expect(locate('Time zone America/Denver, which tells you very little.')).toBeNull();
  });

  it('reads a big town that opens the post after the campaign tag as its place', () => {
    const html = post('Reykjavík is lovely today');
    expect(locator().locate({ html, language: 'en' })?.place.name).toBe('Reykjavík');
    // …not a person of that name
    const lincoln = post('Lincoln would have loved this');
    expect(locator().locate({ html: lincoln, language: 'en' })).toBeNull();
  });

  it('reads a retraction that opens a later sentence ("Nope, Harrogate.")', () => {
    const r = locate(
      'Everyone at work assumes I live in Leeds because the office is there. Nope, Otley.',
    );
    expect(r?.place.name).toBe('Otley');
  });

  it('restores the soft sign of a Ukrainian town', () => {
    const r = locate('Живу в Ірпені, працюю в Києві.', { language: 'uk' });
    expect(r?.place.name).toBe('Irpin');
  });
});

describe('a post written all in lower case', () => {
  it('reads a big town’s name that is no English word as if capitalised', () => {
    expect(locate('honestly krakow is the best city, fight me')?.place.name).toBe('Kraków');
  });

  it('leaves a name that heads a compound: a band, a team, a dish', () => {
    expect(locate('listening to manchester orchestra again, what a band')).toBeNull();
  });
});

describe('a town’s names in two languages joined by a slash', () => {
  it('reads them as the one town', () => {
    const r = locate('Grüsse aus Biel/Bienne, am See', { language: 'de' });
    expect(r?.place.name).toMatch(/^Biel/);
    expect(r?.reason).toContain('‘aus Biel/Bienne’ is where the author is');
  });

  it('places a profile field written that way', () => {
    const r = locate('Neu hier!', { language: 'de', profileLocation: 'Biel/Bienne' });
    expect(r?.place.name).toMatch(/^Biel/);
  });

  it('still reads two towns joined by a slash as no one place', () => {
    expect(locate('Pendle zwischen Bremen/Hannover', { language: 'de' })).toBeNull();
  });
});

describe('a county as the qualifier', () => {
  it.each([
    ['Folkestone, Kent. Harbour arm on Saturdays.', 'Folkestone'],
    ['Maidstone, Kent — county town, river walks.', 'Maidstone'],
    ['Richmond, North Yorkshire. Castle above the Swale.', 'Richmond'],
    ['Newport, Shropshire. Market town, canal walks.', 'Newport'],
  ])('picks the namesake in the county’s nation: “%s”', (text, name) => {
    const r = locate(text);
    expect(r?.place.name).toBe(name);
    expect(r?.place.admin1).toBe('England');
  });
});

describe('abbreviated states and counties', () => {
  it.each([
    ['Springfield, Mass. Basketball hall of fame down the road.', 'Springfield', 'Massachusetts'],
    ['Aurora, Ill. Commuter rail into the city every day.', 'Aurora', 'Illinois'],
    ['Andover, Hants. Test Valley walks at the weekend.', 'Andover', 'England'],
  ])('reads “%s” with its state or county', (text, name, admin1) => {
    const r = locate(text);
    expect(r?.place.name).toBe(name);
    expect(r?.place.admin1).toBe(admin1);
  });

  it('leaves the words alone: “mass”, “wash” and “ill” in lower case qualify nothing', () => {
    expect(
      locate('Sunday mass then wash the car, feeling ill. Home is Springfield.')?.place.admin1,
    ).not.toBe('Massachusetts');
  });
});

describe('a lower-case word after the comma', () => {
  it.each([
    ['Living in Tromsø, northern lights most nights this week.', 'Tromsø'],
    ['Moved to Cincinnati, central heating is my best friend now.', 'Cincinnati'],
  ])('is no province that drops the town: “%s”', (text, name) => {
    expect(locate(text)?.place.name).toBe(name);
  });
});

describe('a lower-case town opening the post', () => {
  it.each([
    ['tampere, sauna capital of the world, rain today. My new blog is up.', 'Tampere'],
    ['gdansk! shipyard cranes and amber shops, love it here. Cheers, Ola', 'Gdańsk'],
    ['malmo is where the bridge starts. Anyone else around?', 'Malmö'],
  ])('reads a big town’s name as the author’s city: “%s”', (text, name) => {
    expect(locate(text)?.place.name).toBe(name);
  });

  it('leaves a common word alone: “nice, sunny day”', () => {
    expect(locate('nice, sunny day for a walk. Anyone else out?')).toBeNull();
  });
});

describe('no list of homes out of one name twice', () => {
  it('reads “Kitchner born, Kitchner living” as one town, not a list of two homes', () => {
    const r = locator().reading({
      html: post('Kitchner born, Kitchner living. Oktoberfest every year.'),
      language: 'en',
    });
    expect(r.results).not.toBeNull();
    expect(r.results!.map((x) => x.place.name)).toContain('Kitchener');
  });
});

describe('“never” as a trip word only before a visit', () => {
  it('reads “the rain never stops in #PDX” as the author’s city, and “never been to Lisbon” as no home', () => {
    expect(locate(`The rain never stops in ${hashtag('PDX')} and I love it.`)?.place.name).toBe(
      'Portland',
    );
    expect(locate('Never been to Lisbon, but it is on my list.')).toBeNull();
  });

  it('reads Berkshire, a county GeoNames keeps no row for, as England', () => {
    const r = locate('Windsor, Berkshire. Long Walk at dawn, tourists by nine.');
    expect(r?.place.name).toBe('Windsor');
    expect(r?.place.admin1).toBe('England');
  });
});

describe('a capitalised word and a lower-case one', () => {
  it('are no name of two capitalised words: “Great falls …” is not Great Falls, Montana', () => {
    const r = locator().reading({
      html: post(`Great falls on the river walk today, kayaks everywhere. ${hashtag('YEG')}`),
      language: 'en',
    });
    expect(r.results?.map((x) => x.place.name)).not.toContain('Great Falls');
    expect(r.answer?.place.name).toBe('Edmonton');
  });
});

describe('greetings are no towns', () => {
  it.each([
    ['Hoi! Nieuw hier, ik fiets veel.', 'nl', 'Zwolle'],
    ['Allô! Nouvelle ici, je dessine.', 'fr', 'Sherbrooke'],
    ['Aloha! New here, I surf badly.', 'en', 'Hilo'],
    ['Xin chào! Mình mới đến đây, thích cà phê sữa đá.', 'vi', 'Hanoi'],
  ])('“%s” with a profile city reads the profile', (text, language, city) => {
    expect(locate(text, { language, profileLocation: city })?.place.name).toBe(city);
  });
});

describe('an English word that is only an alternate of a big town', () => {
  it('is the word: “Gold rush town” names no Gold Coast, and the profile’s town stands', () => {
    expect(
      locate('Gold rush town, cold winters. Teacher.', { profileLocation: 'Bendigo' })?.place.name,
    ).toBe('Bendigo');
  });
});

describe('a trip word that no named place explains', () => {
  it('still makes the post a trip: “a 14 hour layover” is no trip to the town of Hour', () => {
    expect(locate('Stuck in Doha on a 14 hour layover. Hello from gate C12.')).toBeNull();
  });
});

describe('a lower-case word after the Romance “of”', () => {
  it('is a thing, not a small town, and the profile’s city stands: “amante de pinhão”', () => {
    expect(
      locate('Cozinheira, amante de pinhão na chapa.', {
        language: 'pt',
        profileLocation: 'Florianópolis',
      })?.place.name,
    ).toBe('Florianópolis');
  });
});

describe('a misspelling that is a small town elsewhere', () => {
  it('reads “Glouster, England” as Gloucester, not Glouster, Ohio', () => {
    expect(locate('Glouster, England — docks, a cathedral and too much rain.')?.place.name).toBe(
      'Gloucester',
    );
  });
});
