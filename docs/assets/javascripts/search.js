/*
 * Search, in Material's search box: loaded by report.js the first time the
 * reader opens or focuses search, with the index report.js fetches at the
 * same time (window.reportSearchIndex: every block of every page, verbatim,
 * with its address, from search_index/ at build time), it answers as the reader types.
 *
 * Words are matched as Arabic search engines match them, the same function
 * on both sides (the index's text and the query): Lucene's ArabicNormalizer
 * (no diacritics or tatweel; أ إ آ ٱ as ا, ى as ي, ة as ه), Arabic-Indic
 * digits as ASCII, then Lucene's ArabicStemmer (Larkey's light10: the article
 * with و ب ك ف ل before it, and the suffixes ها ان ات ون ين يه ية ه ة ي),
 * with one suffix more, last, يا, for names of countries and their adjectives
 * (روسيا: الروسية، أوكرانيا: الأوكراني).
 * Lucene always strips a leading و and keeps ب ك ل ف; here all five are
 * proclitics that a word may or may not carry (two with و or ف before
 * ب ك ل): each word gets a key as it is and one without them (when three
 * letters remain), so «كازاخستان» finds «لكازاخستان», «وكازاخستان» finds
 * both, and «وزراء» still finds «الوزراء».
 * Every word of the query must match (in any order). A last word that is
 * still being typed matches as a prefix; a word of four letters or more
 * that matches nothing matches a word one edit away (بلنكن: بلينكن).
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
  var MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
  var FOLD = /[\u0622\u0623\u0625\u0671\u0649\u0629\u0660-\u0669\u06f0-\u06f9]/g;
  var ARABIC = /[\u0600-\u06ff]/;
  var PREFIXES = ["ال", "وال", "بال", "كال", "فال", "لل"];
  var SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي", "يا"];
  var PROCLITIC = /^(?:[وف][بكل]|[بكلفو])/;

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
    return word.toLowerCase().replace(MARKS, "").replace(FOLD, fold);
  }

  function stemPrefix(word) {
    for (var i = 0; i < PREFIXES.length; i++) {
      var prefix = PREFIXES[i];
      if (word.length >= prefix.length + 2 && word.startsWith(prefix)) {
        return word.slice(prefix.length);
      }
    }
    return word;
  }

  function stemSuffix(word) {
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suffix = SUFFIXES[i];
      if (word.length >= suffix.length + 2 && word.endsWith(suffix)) {
        word = word.slice(0, -suffix.length);
      }
    }
    return word;
  }

  /* The forms of a normalised word: as it is, and without one or two proclitics (3 letters left at least). */
  function bases(word) {
    var forms = [stemPrefix(word)];
    if (ARABIC.test(word)) {
      var clitic = PROCLITIC.exec(word);
      for (var n = clitic ? clitic[0].length : 0; n > 0; n--) {
        if (word.length - n >= 3) {
          forms.push(stemPrefix(word.slice(n)));
        }
      }
    }
    return forms;
  }

  /* The keys a word is matched by: its forms, stemmed. */
  function keys(word) {
    var result = [];
    bases(normalise(word)).forEach(function (base) {
      var key = ARABIC.test(base) ? stemSuffix(base) : base;
      if (result.indexOf(key) < 0) {
        result.push(key);
      }
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
        found.push({ start: match.index, end: match.index + match[0].length, keys: keys(match[0]), bases: bases(normal) });
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

  function prepare(records) {
    return records.map(function (record, order) {
      var words = tokens(record.text);
      var all = new Set();
      words.forEach(function (word) {
        word.keys.forEach(function (key) {
          all.add(key);
        });
      });
      return { url: record.url, section: record.section, text: record.text, words: words, keys: all, order: order };
    });
  }

  /* The keys of the index that one query word matches, or an empty set. */
  function matchWord(word, typing) {
    var wanted = keys(word);
    var matched = new Set();
    blocks.forEach(function (block) {
      wanted.forEach(function (key) {
        if (block.keys.has(key)) {
          matched.add(key);
        }
      });
    });
    if (matched.size) {
      return matched;
    }
    var starts = bases(normalise(word)).filter(function (base) {
      return base.length >= 2;
    });
    // One edit away: from the word as typed (its first key), not from its forms without a proclitic.
    var long = wanted[0].length >= 4 ? [wanted[0]] : [];
    blocks.forEach(function (block) {
      block.words.forEach(function (token) {
        var prefix =
          typing &&
          token.bases.some(function (base) {
            return starts.some(function (start) {
              return base.startsWith(start);
            });
          });
        var near = token.keys.some(function (key) {
          return long.some(function (want) {
            return oneEditApart(key, want);
          });
        });
        if (prefix || near) {
          token.keys.forEach(function (key) {
            matched.add(key);
          });
        }
      });
    });
    return matched;
  }

  /* The blocks that match every word of ``query``, in site order, each with the keys to highlight. */
  function search(query) {
    var words = query.match(WORD) || [];
    var typing = !/[\s\u00a0]$/.test(query);
    var marks = new Set();
    var results = blocks;
    words.forEach(function (word, i) {
      var matched = matchWord(word, typing && i === words.length - 1);
      matched.forEach(function (key) {
        marks.add(key);
      });
      results = results.filter(function (block) {
        return Array.from(matched).some(function (key) {
          return block.keys.has(key);
        });
      });
    });
    return words.length ? { blocks: results, marks: marks } : { blocks: [], marks: marks };
  }

  /* --- Showing results --- */

  function highlighted(container, block, marks) {
    var at = 0;
    block.words.forEach(function (token) {
      var hit = token.keys.some(function (key) {
        return marks.has(key);
      });
      if (!hit) {
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
      function (records) {
        blocks = prepare(records);
        render();
      },
      function () {
        blocks = false;
        render();
      }
    );
})();
