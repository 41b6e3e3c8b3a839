import { loadLang, saveLang, translate, type Lang, type MessageKey, type Params } from './i18n.ts';

const NAME_KEY = 'huzhu.name';
const ELDER_KEY = 'huzhu.elder';
const TEXT_SIZE_KEY = 'huzhu.textSize';

/** 长辈模式's text sizes (root px): 20 is WeChat care mode's 1.25x of 16; 30 is the MIIT guidance's top. */
export const ELDER_TEXT_SIZES = [20, 24, 30] as const;
export type ElderTextSize = (typeof ELDER_TEXT_SIZES)[number];

function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function save(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}

function loadTextSize(): ElderTextSize {
  const n = Number(load(TEXT_SIZE_KEY));
  return ELDER_TEXT_SIZES.find((s) => s === n) ?? ELDER_TEXT_SIZES[0];
}

/**
 * What this browser remembers between visits: the UI language, 长辈模式 (large text, large targets)
 * with its text size, and the last nickname used. 长辈模式 is the class `elder` on <html> and the
 * root font size; app.css scales everything from there.
 */
export class Prefs {
  #lang = $state<Lang>(loadLang());
  #name = $state(load(NAME_KEY) ?? '');
  #elder = $state(load(ELDER_KEY) === '1');
  #textSize = $state<ElderTextSize>(loadTextSize());

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

  get elder(): boolean {
    return this.#elder;
  }

  get textSize(): ElderTextSize {
    return this.#textSize;
  }

  setElder(on: boolean): void {
    this.#elder = on;
    save(ELDER_KEY, on ? '1' : '0');
  }

  setTextSize(size: ElderTextSize): void {
    this.#textSize = size;
    save(TEXT_SIZE_KEY, String(size));
  }

  rememberName(name: string): void {
    this.#name = name;
    save(NAME_KEY, name);
  }

  /** Puts the mode on <html>: the class for the larger targets, the root size for the text. */
  apply(root: HTMLElement): void {
    root.lang = this.#lang;
    root.classList.toggle('elder', this.#elder);
    root.style.fontSize = this.#elder ? `${this.#textSize}px` : '';
  }
}

export const prefs = new Prefs();
