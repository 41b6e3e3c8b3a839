import type { Lang } from '../../../shared/protocol/errors.ts';

/**
 * The words of notifications (docs/notifications.md), apart from i18n.ts: only the prompt, the account
 * page and 更多's 开启通知 use them, and each loads them on demand, so the board's own script (inside
 * its budget, docs/client.md) does not carry them. tests/unit/push-words.test.ts checks both languages.
 */
export const PUSH_WORDS = {
  pushPromptTitle: { 'zh-CN': '🔔 看板关着时也提醒你？', en: '🔔 Hear from the board when it is closed?' },
  pushPromptText: {
    'zh-CN': '有人认领你的求助、等你确认、你的认领快超时，手机会通知你。随时可以在「我的账号」里关掉。',
    en: 'Your phone tells you when someone claims your task, a help waits for your confirm or your claim is about to time out. Turn it off any time under Account.',
  },
  pushPromptYes: { 'zh-CN': '开启通知', en: 'Turn on' },
  pushPromptNo: { 'zh-CN': '不用了', en: 'No thanks' },
  pushOnToast: { 'zh-CN': '通知已开启', en: 'Notifications are on' },
  pushOffToast: { 'zh-CN': '这台设备不再收到通知', en: 'This device gets no more notifications' },
  pushDenied: { 'zh-CN': '浏览器拒绝了通知：请在浏览器设置里允许本站的通知', en: 'The browser blocks notifications: allow them for this site in its settings' },
  pushUnsupported: { 'zh-CN': '这个浏览器收不到推送（iPhone 要先「添加到主屏幕」）', en: 'This browser cannot receive push notifications (on an iPhone, add the board to the home screen first)' },
  pushFailed: { 'zh-CN': '这台设备现在开不了通知，请稍后再试', en: 'Notifications cannot be turned on on this device now; please try again later' },
  pushHeading: { 'zh-CN': '通知', en: 'Notifications' },
  pushThisDeviceOn: { 'zh-CN': '这台设备：已开启', en: 'This device: on' },
  pushThisDeviceOff: { 'zh-CN': '这台设备：未开启', en: 'This device: off' },
  pushTurnOn: { 'zh-CN': '在这台设备开启', en: 'Turn on for this device' },
  pushTurnOff: { 'zh-CN': '关闭这台设备的通知', en: 'Turn off for this device' },
  pushKindsLegend: { 'zh-CN': '提醒哪些事', en: 'What to tell me' },
  pushKind_claimed: { 'zh-CN': '有人认领了我的求助', en: 'Someone claimed my task' },
  pushKind_confirmNeeded: { 'zh-CN': '有人已助力，等我确认', en: 'A helper waits for my confirm' },
  pushKind_claimTimeout: { 'zh-CN': '我的认领 5 分钟后超时', en: 'My claim times out in 5 minutes' },
  pushKind_taskShort: { 'zh-CN': '我的求助快到期，还差人', en: 'My task ends soon, still short of helpers' },
  pushKind_deal: { 'zh-CN': '管理员发的优惠快报', en: 'Deal alerts from admins' },
  pushKind_eventSoon: { 'zh-CN': '群活动 10 分钟后开始', en: 'A group event starts in 10 minutes' },
  pushKind_won: { 'zh-CN': '我抽中奖了', en: 'I won the draw' },
  pushQuietLegend: { 'zh-CN': '免打扰时段（按群的时区）', en: 'Quiet hours (the group’s time zone)' },
  pushQuietFrom: { 'zh-CN': '从', en: 'From' },
  pushQuietTo: { 'zh-CN': '到', en: 'Until' },
  pushQuietUrgent: { 'zh-CN': '免打扰时仍提醒：等我确认、认领快超时', en: 'In quiet hours, still tell me: a confirm waiting, a claim timing out' },
} as const satisfies Record<string, Record<Lang, string>>;

export type PushWord = keyof typeof PUSH_WORDS;

export const pushWord = (lang: Lang, key: PushWord): string => PUSH_WORDS[key][lang];
