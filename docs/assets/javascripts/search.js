/*
 * Search, in Material's search box: loaded by report.js the first time the
 * reader opens or focuses search, with the index report.js fetches at the
 * same time (window.reportSearchIndex, written by search_index/ at build
 * time: every block of every page, verbatim, with its address; the singulars
 * of the text's broken plurals; the other names the editors gave for names of
 * the text), it answers as the reader types.
 *
 * Words are matched as Arabic search engines match them, the same function
 * on both sides (the index's text and the query): Lucene's ArabicNormalizer
 * (no diacritics or tatweel; hamza on its seat as the seat: أ إ آ ٱ as ا,
 * ؤ as و, ئ as ي; ى as ي, ة as ه), Arabic-Indic digits as ASCII, Latin
 * letters without accents and case. Then light rules give each word its keys:
 * - the article (with و ب ك ف ل before it), or one or two proclitics
 *   (و ف ب ك ل; وب، فل …) when three letters remain: كازاخستان finds
 *   لكازاخستان;
 * - an attached pronoun (ه ها هما هم هن كم كما كن نا, and ي after ت), with
 *   the ة written ت before it given back: أسرته is أسرة, بلادهم is بلاد;
 * - a plural or dual ending (ات ون ين ان), then ة: العقوبات is عقوبة;
 * - the nisba ي stays (الاجتماعيين, الاجتماعية: اجتماعي, not اجتماع; جنسية
 *   is not الجنس); a word matches its nisba adjective only when the text never
 *   writes the word itself (تجارة finds التجارية), and a name in يا is its
 *   adjective (روسيا: الروسية).
 * A broken plural is keyed by its singulars too, from the index (وزير finds
 * الوزراء), and an other name (Kazakhstan, الناتو) stands for the name the
 * text writes.
 *
 * Every word of the query must match (in any order), each in the best way it
 * can: as written (with or without article and proclitics), by its keys, or,
 * the last word while it is being typed, as the beginning of a word. Only a
 * word of five letters or more that matches in none of these ways matches a
 * word one edit away (بلنكن: بلينكن), so a typo never outranks a real match.
 * Results come best first: by the sum of their words' ways (as written, keys,
 * beginning or one edit away), ties in page order.
 *
 * Each result is one block: it links to that paragraph (#p-N) or heading,
 * and shows the block's own text as it is on the page, the matched words
 * highlighted whole. Everything is inserted as text nodes, never as HTML.
 */
(function () {
  "use strict";

  var dialog = document.querySelector("[data-report-search]");
  if (!dialog || window.reportSearch) {
    return;
  }
  var root = new URL("../../", document.currentScript.src);
  var toggle = document.getElementById("__search");
  var form = dialog.querySelector("form");
  var field = dialog.querySelector(".md-search__input");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");

  /* Labels: texts the project adds (source/report.yml, labels.search), in the
     page as JSON data; counts follow Arabic plural rules (Intl.PluralRules). */
  var LABELS = JSON.parse(document.getElementById("__report_search_labels").textContent);
  var plural = new Intl.PluralRules("ar");
  // The count line is read out by screen readers as it changes.
  meta.setAttribute("role", "status");

  /* --- Words and their keys --- */

  // A word: letters, combining marks and digits (tatweel is a letter); anything else separates.
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  // After NFD: every combining mark (Arabic harakat, hamza above and below, Latin accents), and tatweel.
  var MARKS = /[\p{M}\u0640]/gu;
  var FOLD = /[\u0671\u0649\u0629\u0660-\u0669\u06f0-\u06f9]/g;
  var ARABIC = /[\u0600-\u06ff]/;
  var ARTICLES = ["وال", "بال", "كال", "فال", "لل", "ال"];
  var PROCLITIC = /^(?:[وف][بكل]|[بكلفو])/;
  var PRONOUNS = ["هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه"];
  var ENDINGS = ["ات", "ون", "ين", "ان"];
  // The ways a word matches, best first; a block's rank is the sum of its words' ways.
  var EXACT = 0;
  var KEY = 1;
  var BEGINNING = 2;
  var NEAR = 3;
  // One edit is a typo only in a word this long; in a shorter one it makes another word.
  var NEAR_MIN_LENGTH = 5;

  function fold(ch) {
    var code = ch.charCodeAt(0);
    if (code >= 0x0660 && code <= 0x0669) {
      return String(code - 0x0660);
    }
    if (code >= 0x06f0 && code <= 0x06f9) {
      return String(code - 0x06f0);
    }
    return ch === "\u0649" ? "\u064a" : ch === "\u0629" ? "\u0647" : "\u0627";
  }

  function normalise(word) {
    return word.normalize("NFD").replace(MARKS, "").normalize("NFC").toLowerCase().replace(FOLD, fold);
  }

  function withoutArticle(word) {
    for (var i = 0; i < ARTICLES.length; i++) {
      if (word.length >= ARTICLES[i].length + 2 && word.startsWith(ARTICLES[i])) {
        return word.slice(ARTICLES[i].length);
      }
    }
    return word;
  }

  /* The forms of a normalised word as written: as it is, without its article, without one or two proclitics. */
  function bases(word) {
    var forms = [withoutArticle(word)];
    if (ARABIC.test(word)) {
      var clitic = PROCLITIC.exec(word);
      for (var n = clitic ? clitic[0].length : 0; n > 0; n--) {
        if (word.length - n >= 3) {
          forms.push(withoutArticle(word.slice(n)));
        }
      }
    }
    return forms;
  }

  /* A base without its attached pronoun (ة given back before it), or null. */
  function withoutPronoun(base) {
    for (var i = 0; i < PRONOUNS.length; i++) {
      var pronoun = PRONOUNS[i];
      if (base.length >= pronoun.length + 3 && base.endsWith(pronoun)) {
        return restoreTaMarbuta(base.slice(0, -pronoun.length));
      }
    }
    // ي is a pronoun only after ت (حياتي); elsewhere it is the nisba's (الروسي).
    return base.length >= 4 && base.endsWith("تي") ? restoreTaMarbuta(base.slice(0, -1)) : null;
  }

  function restoreTaMarbuta(word) {
    return word.length >= 3 && word.endsWith("ت") ? word.slice(0, -1) + "ه" : word;
  }

  function withoutEnding(base) {
    for (var i = 0; i < ENDINGS.length; i++) {
      if (base.length >= ENDINGS[i].length + 2 && base.endsWith(ENDINGS[i])) {
        base = base.slice(0, -ENDINGS[i].length);
        break;
      }
    }
    if (base.length >= 3 && base.endsWith("ه")) {
      base = base.slice(0, -1);
    }
    return base.length >= 4 && base.endsWith("يا") ? base.slice(0, -1) : base;
  }

  function addKeysOfBase(base, result) {
    if (!ARABIC.test(base)) {
      if (result.indexOf(base) < 0) {
        result.push(base);
      }
      return;
    }
    [base, withoutPronoun(base)].forEach(function (form) {
      var key = form && withoutEnding(form);
      if (key && result.indexOf(key) < 0) {
        result.push(key);
      }
    });
  }

  /*
   * The keys a word is matched by: its forms without pronoun and endings; a
   * broken plural, by its singulars instead (as written it still matches
   * itself): the light rules would join it to other words (المحاكم courts,
   * محاكمة trial).
   */
  function keys(word) {
    var normal = normalise(word);
    var result = [];
    var singular = singulars.get(normal);
    if (singular) {
      singular.forEach(function (form) {
        addKeysOfBase(withoutArticle(normalise(form)), result);
      });
      return result;
    }
    bases(normal).forEach(function (base) {
      addKeysOfBase(base, result);
    });
    return result;
  }

  function tokens(text) {
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var normal = normalise(match[0]);
      if (normal) {
        found.push({
          start: match.index,
          end: match.index + match[0].length,
          normal: normal,
          keys: keys(match[0]),
          bases: bases(normal),
        });
      }
    }
    return found;
  }

  /* Optimal string alignment distance, at most 1 (one insertion, deletion, substitution or swap). */
  function oneEditApart(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) {
      return false;
    }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) {
      i++;
    }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* --- The index --- */

  var blocks = null;
  // Broken plurals (normalised) -> their singulars; other names (normalised) -> the name as the text writes it.
  var singulars = new Map();
  var otherNames = new Map();
  // Every key of the text: a word is joined to its nisba adjective only when the text never writes the word.
  var textKeys = new Set();

  function prepare(index) {
    Object.keys(index.forms || {}).forEach(function (word) {
      singulars.set(normalise(word), index.forms[word]);
    });
    Object.keys(index.names || {}).forEach(function (name) {
      otherNames.set((normalise(name).match(WORD) || []).join(" "), index.names[name]);
    });
    return index.blocks.map(function (record, order) {
      var words = tokens(record.text);
      var all = new Set();
      words.forEach(function (word) {
        word.keys.forEach(function (key) {
          all.add(key);
          textKeys.add(key);
        });
      });
      return { url: record.url, section: record.section, text: record.text, words: words, keys: all, order: order };
    });
  }

  /*
   * How one query word matches each token: a Map from token to the best way
   * (EXACT, KEY, BEGINNING, NEAR). BEGINNING only for the word being typed;
   * NEAR only when the word matches no token in a better way.
   */
  function matchWord(word, typing) {
    var normal = normalise(word);
    var written = bases(normal);
    var wanted = keys(word);
    var arabic = ARABIC.test(normal);
    if (arabic) {
      wanted.slice().forEach(function (key) {
        if (!textKeys.has(key) && textKeys.has(key + "\u064a")) {
          wanted.push(key + "\u064a");
        }
      });
    }
    var ways = new Map();
    blocks.forEach(function (block) {
      block.words.forEach(function (token) {
        var way = -1;
        if (token.bases.some(function (base) { return written.indexOf(base) >= 0; })) {
          way = EXACT;
        } else if (token.keys.some(function (key) { return wanted.indexOf(key) >= 0; })) {
          way = KEY;
        } else if (
          typing &&
          token.bases.concat([token.normal]).some(function (base) {
            return written.some(function (start) { return base.startsWith(start); });
          })
        ) {
          way = BEGINNING;
        }
        if (way >= 0) {
          ways.set(token, way);
        }
      });
    });
    if (ways.size || wanted[0].length < NEAR_MIN_LENGTH) {
      return ways;
    }
    // One edit away: from the word as typed (its first key), not from its forms without a proclitic.
    blocks.forEach(function (block) {
      block.words.forEach(function (token) {
        if (token.keys.some(function (key) { return oneEditApart(key, wanted[0]); })) {
          ways.set(token, NEAR);
        }
      });
    });
    return ways;
  }

  /* The query's words, each other name replaced by the name as the text writes it (a Latin name may be typed). */
  function queryWords(query, typing) {
    var words = normalise(query).match(WORD) || [];
    var out = [];
    for (var i = 0; i < words.length; i++) {
      var found = null;
      for (var n = words.length - i; n > 0 && !found; n--) {
        var phrase = words.slice(i, i + n).join(" ");
        found = otherNames.has(phrase) ? { name: otherNames.get(phrase), length: n } : null;
        if (!found && typing && i + n === words.length && /[a-z]{3}/.test(phrase)) {
          otherNames.forEach(function (name, other) {
            if (!found && other.startsWith(phrase)) {
              found = { name: name, length: n };
            }
          });
        }
      }
      if (found) {
        out = out.concat(found.name.match(WORD));
        i += found.length - 1;
      } else {
        out.push(words[i]);
      }
    }
    return out;
  }

  /* The blocks that match every word of ``query``, best first, each with the tokens to highlight. */
  function search(query) {
    var typing = !/[\s\u00a0]$/.test(query);
    var words = queryWords(query, typing);
    var marks = new Set();
    var results = blocks.map(function (block) {
      return { block: block, rank: 0 };
    });
    words.forEach(function (word, i) {
      var ways = matchWord(word, typing && i === words.length - 1);
      results = results.filter(function (result) {
        var best = -1;
        result.block.words.forEach(function (token) {
          if (ways.has(token)) {
            marks.add(token);
            best = best < 0 ? ways.get(token) : Math.min(best, ways.get(token));
          }
        });
        result.rank += best;
        return best >= 0;
      });
    });
    results.sort(function (a, b) {
      return a.rank - b.rank || a.block.order - b.block.order;
    });
    return {
      blocks: words.length
        ? results.map(function (result) {
            return result.block;
          })
        : [],
      marks: marks,
    };
  }

  /* --- Showing results --- */

  function highlighted(container, block, marks) {
    var at = 0;
    block.words.forEach(function (token) {
      if (!marks.has(token)) {
        return;
      }
      container.appendChild(document.createTextNode(block.text.slice(at, token.start)));
      var mark = document.createElement("mark");
      mark.textContent = block.text.slice(token.start, token.end);
      container.appendChild(mark);
      at = token.end;
    });
    container.appendChild(document.createTextNode(block.text.slice(at)));
    return container;
  }

  function count(n) {
    var label = n === 0 ? LABELS.none : LABELS[plural.select(n)];
    return label.replace("#", String(n));
  }

  function render() {
    var query = field.value;
    list.replaceChildren();
    if (!blocks) {
      meta.textContent = blocks === false ? LABELS.failed : LABELS.loading;
      return;
    }
    if (!(query.match(WORD) || []).length) {
      meta.textContent = LABELS.empty;
      return;
    }
    var found = search(query);
    meta.textContent = count(found.blocks.length);
    found.blocks.forEach(function (block) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = new URL(block.url, root).href;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var heading = block.section === block.text;
      var title = highlighted(document.createElement("h1"), heading ? block : { text: block.section, words: [] }, found.marks);
      article.appendChild(title);
      if (!heading) {
        article.appendChild(highlighted(document.createElement("p"), block, found.marks));
      }
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  /* --- The search box --- */

  /*
   * A result on this page: close search first, then go to the block. On a
   * phone Material fixes the page in place while search is open (and
   * restores it after closing), so a jump made before that would be undone.
   */
  function whenUnlocked(then) {
    if (!document.body.hasAttribute("data-md-scrolllock")) {
      then();
      return;
    }
    var observer = new MutationObserver(function () {
      if (!document.body.hasAttribute("data-md-scrolllock")) {
        observer.disconnect();
        then();
      }
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
  }

  list.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var url = new URL(link.href);
    if (url.origin + url.pathname !== location.origin + location.pathname || !url.hash) {
      return;
    }
    event.preventDefault();
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    whenUnlocked(function () {
      var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (location.hash === url.hash && target) {
        target.scrollIntoView();
      } else {
        location.hash = url.hash;
      }
    });
  });

  field.addEventListener("input", render);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) {
      first.click();
    }
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      render();
      field.focus();
    });
  });
  field.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      field.blur();
    }
  });

  // The engine itself, for tests/test_search.py and the browser's console.
  window.reportSearch = { keys: keys, search: search };
  render();
  window.reportSearchIndex.then(
      function (index) {
        blocks = prepare(index);
        render();
      },
      function () {
        blocks = false;
        render();
      }
    );
})();
