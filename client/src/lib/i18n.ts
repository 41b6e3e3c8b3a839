import type { Lang } from '../../../shared/protocol/errors.ts';

export type { Lang };

/**
 * Every string the client shows, zh-CN first. Server error messages are not here: the server sends
 * them already translated (it reads our Accept-Language header).
 * Words follow docs UI brief: 群主 owner, 管理员 admin, 求助 task, 邀请 invite.
 */
const MESSAGES = {
  appTitle: { 'zh-CN': '互助看板', en: 'Huzhu Board' },
  tagline: {
    'zh-CN': '群里互相帮忙，一眼看清谁需要帮助。',
    en: 'Help each other in your group, and see at a glance who needs a hand.',
  },
  languageLabel: { 'zh-CN': '语言', en: 'Language' },

  createHeading: { 'zh-CN': '创建群', en: 'Create a group' },
  groupName: { 'zh-CN': '群名称', en: 'Group name' },
  groupNamePlaceholder: { 'zh-CN': '例如：宝妈砍价群', en: 'e.g. Bargain Moms' },
  yourName: { 'zh-CN': '你的昵称', en: 'Your name' },
  yourNamePlaceholder: { 'zh-CN': '群里怎么称呼你', en: 'What the group calls you' },
  createButton: { 'zh-CN': '创建群', en: 'Create group' },
  creating: { 'zh-CN': '正在创建…', en: 'Creating…' },

  createdHeading: { 'zh-CN': '群已创建', en: 'Group created' },
  createdHint: {
    'zh-CN': '把邀请链接发到群聊里，大家点开就能加入。',
    en: 'Send the invite link to your chat group; people tap it to join.',
  },
  inviteLink: { 'zh-CN': '邀请链接', en: 'Invite link' },
  groupId: { 'zh-CN': '群编号', en: 'Group id' },
  copyLink: { 'zh-CN': '复制链接', en: 'Copy link' },
  copied: { 'zh-CN': '已复制', en: 'Copied' },
  copyFailed: { 'zh-CN': '无法自动复制，请长按链接复制', en: 'Could not copy; press and hold the link to copy it' },
  openBoard: { 'zh-CN': '打开看板', en: 'Open the board' },

  myGroups: { 'zh-CN': '我的群', en: 'My groups' },
  loading: { 'zh-CN': '加载中…', en: 'Loading…' },
  noGroups: {
    'zh-CN': '你还没有加入任何群。在上面创建一个群，或者点开群友发来的邀请链接。',
    en: 'You are not in any group yet. Create one above, or tap an invite link a friend sent you.',
  },
  asName: { 'zh-CN': '我的昵称：{name}', en: 'You are {name}' },
  role_owner: { 'zh-CN': '群主', en: 'Owner' },
  role_admin: { 'zh-CN': '管理员', en: 'Admin' },
  role_member: { 'zh-CN': '成员', en: 'Member' },

  joinHeading: { 'zh-CN': '加入「{name}」', en: 'Join “{name}”' },
  memberCount: { 'zh-CN': '{count} 位成员', en: '{count} members' },
  rules: { 'zh-CN': '群规', en: 'Group rules' },
  joinButton: { 'zh-CN': '加入', en: 'Join' },
  joining: { 'zh-CN': '正在加入…', en: 'Joining…' },
  backHome: { 'zh-CN': '返回首页', en: 'Back to home' },

  boardComing: { 'zh-CN': '看板即将上线', en: 'The board is coming' },
  boardComingHint: {
    'zh-CN': '你已经在群里了。求助看板正在开发中，很快就能用。',
    en: 'You are in the group. The task board is being built and will be here soon.',
  },

  notFound: { 'zh-CN': '找不到这个页面', en: 'Page not found' },
  networkError: { 'zh-CN': '网络连接失败，请检查网络后重试', en: 'Could not reach the server; check your connection and try again' },
  badResponse: { 'zh-CN': '服务器返回了无法识别的内容，请稍后再试', en: 'The server sent something unexpected; please try again' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;
export type Params = Record<string, string | number>;

/** Language names are shown in their own language, so they are not translated. */
export const LANG_LABELS: Record<Lang, string> = { 'zh-CN': '中', en: 'EN' };

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text: string = MESSAGES[key][lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const LANG_KEY = 'huzhu.lang';

/** The saved choice, else zh-CN: the board is Chinese first, English is a switch away. */
export function loadLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}
