import { loadLang, saveLang, translate, type Lang, type MessageKey, type Params } from './i18n.ts';

const NAME_KEY = 'huzhu.name';

function loadName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/** What this browser remembers between visits: the UI language and the last nickname used. */
export class Prefs {
  #lang = $state<Lang>(loadLang());
  #name = $state(loadName());

  get lang(): Lang {
    return this.#lang;
  }

  /** Prefills the nickname field, so joining a second group is one tap. */
  get lastName(): string {
    return this.#name;
  }

  /** Bound so components can pass it around: `const { t } = prefs`. */
  t = (key: MessageKey, params?: Params): string => translate(this.#lang, key, params);

  setLang(lang: Lang): void {
    this.#lang = lang;
    saveLang(lang);
  }

  rememberName(name: string): void {
    this.#name = name;
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch {
      // Storage disabled: nothing to remember.
    }
  }
}

export const prefs = new Prefs();
