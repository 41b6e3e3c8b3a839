import type { WireError } from './wire-error.ts';

/**
 * Every error a client can see: one table, stable codes, a zh-CN and an English message.
 * The server sends `{code, message}` with the message in the caller's language.
 */
export const ERRORS = {
  INVALID_INPUT: { 'zh-CN': '输入有误，请检查后重试', en: 'The input is not valid; please check it and try again' },
  PROTOCOL_MISMATCH: { 'zh-CN': '版本已更新，请刷新页面', en: 'The app was updated; please reload the page' },
  UNAUTHENTICATED: { 'zh-CN': '请先加入群', en: 'Please join the group first' },
  FORBIDDEN: { 'zh-CN': '你没有权限这样做', en: 'You are not allowed to do this' },
  NOT_FOUND: { 'zh-CN': '找不到该内容', en: 'Not found' },
  GROUP_NOT_FOUND: { 'zh-CN': '找不到这个群', en: 'This group does not exist' },
  GROUP_EXISTS: { 'zh-CN': '这个群已经存在', en: 'This group already exists' },
  INVITE_INVALID: { 'zh-CN': '邀请链接无效或已更换', en: 'This invite link is not valid or was replaced' },
  MEMBER_NOT_FOUND: { 'zh-CN': '找不到该成员', en: 'Member not found' },
  MEMBER_INACTIVE: { 'zh-CN': '你已被禁言或移出本群', en: 'You are muted or removed from this group' },
  ALREADY_MEMBER: { 'zh-CN': '你已经在这个群里了', en: 'You are already a member of this group' },
  TASK_NOT_FOUND: { 'zh-CN': '找不到这个求助', en: 'Task not found' },
  TASK_CLOSED: { 'zh-CN': '这个求助已结束', en: 'This task is closed' },
  TASK_FULL: { 'zh-CN': '人已经够了，看看别的求助吧', en: 'This task has all the helpers it needs' },
  OWN_TASK: { 'zh-CN': '不能认领自己的求助', en: 'You cannot claim your own task' },
  ALREADY_CLAIMED: { 'zh-CN': '你已经认领了这个求助', en: 'You already claimed this task' },
  CLAIM_LIMIT: { 'zh-CN': '你认领的求助太多了，先完成手上的吧', en: 'You hold too many claims; finish one first' },
  CLAIM_NOT_FOUND: { 'zh-CN': '找不到这个认领', en: 'Claim not found' },
  CLAIM_STATE: { 'zh-CN': '这个认领现在不能这样操作', en: 'This claim cannot do that now' },
  CLAIM_EXTEND_TOO_EARLY: { 'zh-CN': '快到时间时才能延长，现在还不用', en: 'A claim can be extended only when it is about to time out' },
  CLAIM_EXTEND_LIMIT: { 'zh-CN': '这个认领已经延长很多次了，请尽快完成或放弃', en: 'This claim cannot be extended again; finish it or release it' },
  CLAIM_EXTEND_TASK_ENDS: { 'zh-CN': '求助快结束了，不能再延长', en: 'The task ends first, so the claim cannot be extended' },
  SERIES_NOT_FOUND: { 'zh-CN': '这个每天重复的求助已经停止了', en: 'This daily task no longer repeats' },
  UNDO_EXPIRED: { 'zh-CN': '已超过撤销时间', en: 'It is too late to undo that' },
  OPEN_TASK_LIMIT: { 'zh-CN': '你的进行中求助已达上限', en: 'You have reached your limit of open tasks' },
  INSUFFICIENT_CREDITS: { 'zh-CN': '积分不足，先去帮帮别人吧', en: 'Not enough credits; help others to earn some' },
  EXPIRY_INVALID: { 'zh-CN': '截止时间无效', en: 'The expiry time is not valid' },
  LINK_NOT_ALLOWED: { 'zh-CN': '链接无效', en: 'This link is not allowed' },
  MESSAGE_NOT_FOUND: { 'zh-CN': '找不到这条消息', en: 'Message not found' },
  OWNER_MUST_TRANSFER: { 'zh-CN': '群主要先把群转让给管理员才能退出', en: 'The owner must hand the group to an admin before leaving' },
  TRANSFER_TARGET: { 'zh-CN': '只能转让给本群的管理员', en: 'Ownership can only go to an admin of this group' },
  RECOVERY_INVALID: { 'zh-CN': '恢复码不对，请检查后重试', en: 'That recovery code is not valid' },
  LINK_CODE_INVALID: { 'zh-CN': '登录码无效或已过期', en: 'That device code is not valid or has expired' },
  SESSION_NOT_FOUND: { 'zh-CN': '找不到这个设备', en: 'Device not found' },
  PENDING_APPROVAL: { 'zh-CN': '你的入群申请正在等待管理员通过', en: 'Your request to join is waiting for an admin' },
  OUTRANKED: { 'zh-CN': '不能对同级或更高级的管理员这样做', en: 'You cannot do this to an admin of equal or higher rank' },
  REPORT_NOT_FOUND: { 'zh-CN': '找不到这条举报', en: 'Report not found' },
  // Also other schemes (javascript:, data:, file:) and broken hosts: 危险链接 is the board's word for all.
  LINK_DANGEROUS: { 'zh-CN': '这是危险链接，可能是诈骗，不能发布', en: 'This is a dangerous link (it may be a scam) and cannot be posted' },
  DUPLICATE_TASK: { 'zh-CN': '这个链接已经有人发过了，去帮那张卡片吧', en: 'This link is already on the board; help that card instead' },
  NEWCOMER_LINK: { 'zh-CN': '新成员暂时不能在聊天里发链接', en: 'New members cannot post links in chat yet' },
  REPEATED_MESSAGE: { 'zh-CN': '不要重复发同样的内容', en: 'Please do not repeat the same message' },
  RELIABILITY_LOW: { 'zh-CN': '你的可靠度太低，先帮别人完成一次助力才能再发求助', en: 'Your reliability is too low: finish a help for someone before posting again' },
  NOT_FLAGGED: { 'zh-CN': '没有需要申诉的标记', en: 'There is no flag to appeal or clear' },
  APPEAL_TOO_SOON: { 'zh-CN': '每周只能申诉一次，请下周再试', en: 'You can appeal once a week; please try again later' },
  EVENT_NOT_FOUND: { 'zh-CN': '找不到这个活动', en: 'Event not found' },
  EVENT_INVALID: { 'zh-CN': '活动时间无效，或和其他活动重叠', en: 'The event time is not valid or overlaps another event' },
  DRAW_NOT_DRAWN: { 'zh-CN': '这个活动还没有抽奖结果', en: 'This event has no draw yet' },
  LAST_OWNER: { 'zh-CN': '群里必须有一个群主', en: 'The group must keep its owner' },
  IDEMPOTENCY_CONFLICT: { 'zh-CN': '请求编号重复，请重试', en: 'This request id was already used for something else' },
  RATE_LIMITED: { 'zh-CN': '操作太频繁，请稍后再试', en: 'Too many requests; please slow down' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '内容太长了', en: 'The content is too large' },
  PUSH_ENDPOINT_REFUSED: { 'zh-CN': '这个推送地址不能用，请换个浏览器再开通知', en: 'This push address cannot be used; try turning notifications on in another browser' },
  PUSH_SUBSCRIPTION_NOT_FOUND: { 'zh-CN': '这台设备没有开通知', en: 'Notifications are not on for this device' },
  EPOCH_CHANGED: { 'zh-CN': '看板已更新，正在重新同步', en: 'The board was rebuilt; syncing again' },
  STORE_UNAVAILABLE: { 'zh-CN': '服务器暂时无法保存，请稍后再试', en: 'The server cannot save right now; please try again' },
  BUSY: { 'zh-CN': '服务器繁忙，请稍后再试', en: 'The server is busy; please try again' },
  INTERNAL: { 'zh-CN': '服务器出错了，请稍后再试', en: 'Something went wrong on the server; please try again' },
} as const satisfies Record<string, Record<Lang, string>>;

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export type ErrorCode = keyof typeof ERRORS;


export function pickLang(value: unknown): Lang {
  return typeof value === 'string' && value.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function wireError(code: ErrorCode, lang: Lang, details?: Record<string, unknown>): WireError {
  return details ? { code, message: ERRORS[code][lang], details } : { code, message: ERRORS[code][lang] };
}
