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


  // Board (words from UI.md: 求助 task · 我来帮 claim · 放弃 release · 已助力 mark done · 确认 confirm ·
  // 有问题 dispute · 积分 credits · 可靠度 reliability · 差1人 one short · 优惠快报 deal · 攻略 tip).
  col_open: { 'zh-CN': '待助力', en: 'Open' },
  col_almost: { 'zh-CN': '差1人', en: 'One short' },
  col_mine: { 'zh-CN': '我的', en: 'Mine' },
  col_done: { 'zh-CN': '今日完成', en: 'Done today' },
  online: { 'zh-CN': '{count} 在线', en: '{count} online' },
  whoIsOnline: { 'zh-CN': '在线成员', en: 'Who is online' },
  myCredits: { 'zh-CN': '我的积分', en: 'My credits' },
  link_connecting: { 'zh-CN': '连接中…', en: 'Connecting…' },
  link_online: { 'zh-CN': '已连接', en: 'Connected' },
  link_reconnecting: { 'zh-CN': '重新连接中…', en: 'Reconnecting…' },
  link_offline: { 'zh-CN': '网络已断开', en: 'Offline' },
  link_signedOut: { 'zh-CN': '你还没有加入这个群', en: 'You are not in this group' },
  link_outdated: { 'zh-CN': '看板已更新，请刷新页面', en: 'The board was updated; please reload' },
  signedOutHint: { 'zh-CN': '请点开群里的邀请链接加入。', en: 'Open the group’s invite link to join.' },
  kind_bargain: { 'zh-CN': '砍价', en: 'Bargain' },
  kind_boost: { 'zh-CN': '助力', en: 'Boost' },
  kind_cash: { 'zh-CN': '领现金', en: 'Cash' },
  kind_other: { 'zh-CN': '其他', en: 'Other' },
  verdict_official: { 'zh-CN': '官方链接', en: 'Official link' },
  verdict_unverifiable: { 'zh-CN': '无法验证', en: 'Unverified link' },
  verdict_dangerous: { 'zh-CN': '危险链接', en: 'Dangerous link' },
  progress: { 'zh-CN': '{done}/{needed} 人', en: '{done} of {needed}' },
  timeLeftMin: { 'zh-CN': '还剩 {n} 分钟', en: '{n} min left' },
  timeLeftHour: { 'zh-CN': '还剩 {n} 小时', en: '{n} h left' },
  expired: { 'zh-CN': '已过期', en: 'Expired' },
  reliable: { 'zh-CN': '可靠 {pct}%', en: 'Reliable {pct}%' },
  newMember: { 'zh-CN': '新成员', en: 'New member' },
  looking: { 'zh-CN': '{count} 人在看', en: '{count} looking' },
  dragging: { 'zh-CN': '{name} 正在拖动', en: '{name} is dragging' },
  claim: { 'zh-CN': '我来帮', en: 'I’ll help' },
  openLink: { 'zh-CN': '打开链接', en: 'Open link' },
  markDone: { 'zh-CN': '已助力', en: 'I helped' },
  release: { 'zh-CN': '放弃', en: 'Release' },
  waitingConfirm: { 'zh-CN': '等待确认', en: 'Waiting for confirmation' },
  confirm: { 'zh-CN': '确认', en: 'Confirm' },
  dispute: { 'zh-CN': '有问题', en: 'Dispute' },
  cancelTask: { 'zh-CN': '撤销求助', en: 'Cancel task' },
  yourTask: { 'zh-CN': '我的求助', en: 'My task' },
  helperDone: { 'zh-CN': '{name} 已助力', en: '{name} helped' },
  helperWorking: { 'zh-CN': '{name} 正在帮', en: '{name} is helping' },
  pending: { 'zh-CN': '提交中…', en: 'Sending…' },
  dropHere: { 'zh-CN': '拖到这里认领', en: 'Drop here to claim' },
  dragHint: { 'zh-CN': '长按卡片可拖动认领', en: 'Long-press a card to drag it' },
  emptyOpen: {
    'zh-CN': '还没有求助。点下面的「发求助」发第一个，或者把邀请链接发到群里。',
    en: 'No tasks yet. Tap “Post” below to post the first, or share the invite link in your chat group.',
  },
  emptyMine: { 'zh-CN': '你认领的和你发的求助会出现在这里。', en: 'Tasks you claim or post show up here.' },
  emptyDone: { 'zh-CN': '今天还没有完成的求助。', en: 'Nothing finished today yet.' },
  emptyAlmost: { 'zh-CN': '没有只差一人的求助。', en: 'No task is one helper short.' },
  post: { 'zh-CN': '发求助', en: 'Post' },
  postHeading: { 'zh-CN': '发一个求助', en: 'Post a task' },
  kind: { 'zh-CN': '类型', en: 'Kind' },
  link: { 'zh-CN': '链接', en: 'Link' },
  linkPlaceholder: { 'zh-CN': '粘贴拼多多分享链接', en: 'Paste the share link' },
  title: { 'zh-CN': '标题', en: 'Title' },
  titlePlaceholder: { 'zh-CN': '例如：空气炸锅砍一刀', en: 'e.g. Air fryer bargain' },
  helpersNeeded: { 'zh-CN': '需要几人', en: 'Helpers needed' },
  expiresIn: { 'zh-CN': '有效时间', en: 'Expires in' },
  minutes: { 'zh-CN': '{n} 分钟', en: '{n} min' },
  hours: { 'zh-CN': '{n} 小时', en: '{n} h' },
  cost: { 'zh-CN': '需要 {cost} 积分（你有 {balance}）', en: 'Costs {cost} credits (you have {balance})' },
  notEnough: { 'zh-CN': '积分不够，先去帮帮别人吧', en: 'Not enough credits; help others first' },
  submitPost: { 'zh-CN': '发布', en: 'Post task' },
  close: { 'zh-CN': '关闭', en: 'Close' },
  chat: { 'zh-CN': '聊天', en: 'Chat' },
  chatUnread: { 'zh-CN': '聊天，{count} 条未读', en: 'Chat, {count} unread' },
  chatPlaceholder: { 'zh-CN': '说点什么…', en: 'Say something…' },
  send: { 'zh-CN': '发送', en: 'Send' },
  msg_chat: { 'zh-CN': '聊天', en: 'Chat' },
  msg_tip: { 'zh-CN': '攻略', en: 'Tip' },
  msg_deal: { 'zh-CN': '优惠快报', en: 'Deal alert' },
  typingOne: { 'zh-CN': '{name} 正在输入…', en: '{name} is typing…' },
  typingMany: { 'zh-CN': '{count} 人正在输入…', en: '{count} people are typing…' },
  olderMessages: { 'zh-CN': '更早的消息', en: 'Older messages' },
  noMessages: { 'zh-CN': '还没有消息。分享个攻略吧！', en: 'No messages yet. Share a tip!' },
  dealLeft: { 'zh-CN': '还剩 {time}', en: '{time} left' },
  deleteMessage: { 'zh-CN': '删除', en: 'Delete' },
  credits: { 'zh-CN': '积分', en: 'Credits' },
  admin: { 'zh-CN': '管理', en: 'Admin' },
  toast_claimed: { 'zh-CN': '{by} 认领了你的求助「{title}」', en: '{by} claimed your task “{title}”' },
  toast_markedDone: { 'zh-CN': '{by} 已助力「{title}」，请确认', en: '{by} helped with “{title}”; please confirm' },
  toast_confirmed: { 'zh-CN': '「{title}」已确认，积分 +{reward}', en: '“{title}” confirmed: +{reward} credits' },
  toast_rejected: { 'zh-CN': '「{title}」的助力被标记有问题', en: 'Your help with “{title}” was disputed' },
  toast_claimExpired: { 'zh-CN': '「{title}」认领超时，已自动放弃', en: 'Your claim on “{title}” timed out' },
  toast_completed: { 'zh-CN': '「{title}」完成了！', en: '“{title}” is complete!' },
  toast_closed: { 'zh-CN': '「{title}」已结束', en: '“{title}” has closed' },
  toast_granted: { 'zh-CN': '群主给了你 {amount} 积分', en: 'The owner gave you {amount} credits' },
  toast_ownerTransferred: { 'zh-CN': '{from} 把群主转让给了 {to}', en: '{from} handed the group to {to}' },
  notifyAllow: { 'zh-CN': '开启通知', en: 'Turn on notifications' },
  // Ledger
  ledgerHeading: { 'zh-CN': '积分明细', en: 'Credit history' },
  balanceNow: { 'zh-CN': '当前积分 {balance}', en: 'Balance {balance}' },
  reason_join: { 'zh-CN': '入群奖励', en: 'Joining grant' },
  reason_grant: { 'zh-CN': '群主奖励', en: 'Owner grant' },
  reason_escrow: { 'zh-CN': '发求助', en: 'Posted a task' },
  reason_reward: { 'zh-CN': '帮忙奖励', en: 'Helped' },
  reason_refund: { 'zh-CN': '求助退回', en: 'Task refund' },
  topHelpers: { 'zh-CN': '今日之星', en: 'Today’s stars' },
  topHelpersAll: { 'zh-CN': '助人榜', en: 'Top helpers' },
  helpedCount: { 'zh-CN': '帮过 {n} 次', en: 'helped {n}×' },
  loadMore: { 'zh-CN': '加载更多', en: 'Load more' },
  backToBoard: { 'zh-CN': '返回看板', en: 'Back to the board' },
  // Admin
  adminHeading: { 'zh-CN': '群管理', en: 'Group admin' },
  members: { 'zh-CN': '成员', en: 'Members' },
  makeAdmin: { 'zh-CN': '设为管理员', en: 'Make admin' },
  makeMember: { 'zh-CN': '取消管理员', en: 'Remove admin' },
  settings: { 'zh-CN': '设置', en: 'Settings' },
  startingGrant: { 'zh-CN': '新人积分', en: 'Starting credits' },
  rewardPerHelp: { 'zh-CN': '每次帮忙得分', en: 'Credits per help' },
  maxOpenTasks: { 'zh-CN': '每人最多进行中求助', en: 'Open tasks per member' },
  maxActiveClaims: { 'zh-CN': '每人最多认领', en: 'Claims per member' },
  claimTimeout: { 'zh-CN': '认领超时（分钟）', en: 'Claim timeout (minutes)' },
  autoConfirm: { 'zh-CN': '自动确认（分钟）', en: 'Auto-confirm (minutes)' },
  save: { 'zh-CN': '保存', en: 'Save' },
  saved: { 'zh-CN': '已保存', en: 'Saved' },
  invite: { 'zh-CN': '邀请', en: 'Invite' },
  rotateInvite: { 'zh-CN': '更换邀请链接', en: 'Replace invite link' },
  projector: { 'zh-CN': '投屏', en: 'Projector' },
  makeProjectorLink: { 'zh-CN': '生成投屏链接', en: 'Create projector link' },
  projectorHint: { 'zh-CN': '在大屏幕的浏览器里打开这个链接。生成新链接后旧链接失效。', en: 'Open this link in the big screen’s browser. A new link replaces the old one.' },
  staffOnly: { 'zh-CN': '只有群主和管理员能看这页', en: 'Only the owner and admins can see this page' },
  // Projector
  openTasks: { 'zh-CN': '待助力', en: 'Open' },
  helpedToday: { 'zh-CN': '今日已助力', en: 'Helped today' },
  scanToJoin: { 'zh-CN': '扫码入群', en: 'Scan to join' },
  screenEmpty: { 'zh-CN': '暂时没有求助', en: 'No open tasks right now' },
  // Accounts (issue #8)
  account: { 'zh-CN': '账号', en: 'Account' },
  accountHeading: { 'zh-CN': '我的账号', en: 'My account' },
  recoveryHeading: { 'zh-CN': '保存你的恢复码', en: 'Save your recovery code' },
  recoveryHint: {
    'zh-CN': '换手机、清除浏览器数据或在微信里打开时，用它找回你的账号和积分。只显示这一次，请截图或抄下来。',
    en: 'Use it to get your account and credits back on a new phone or after clearing the browser. It is shown only once: take a screenshot or write it down.',
  },
  recoverySaved: { 'zh-CN': '我已保存', en: 'I saved it' },
  copy: { 'zh-CN': '复制', en: 'Copy' },
  haveRecoveryCode: { 'zh-CN': '我有恢复码', en: 'I have a recovery code' },
  recoveryCode: { 'zh-CN': '恢复码', en: 'Recovery code' },
  recover: { 'zh-CN': '找回账号', en: 'Recover my account' },
  devices: { 'zh-CN': '已登录的设备', en: 'Signed-in devices' },
  thisDevice: { 'zh-CN': '本机', en: 'This device' },
  unknownDevice: { 'zh-CN': '未知设备', en: 'Unknown device' },
  lastSeen: { 'zh-CN': '最近使用 {time}', en: 'Last used {time}' },
  signOut: { 'zh-CN': '退出登录', en: 'Sign out' },
  linkDevice: { 'zh-CN': '登录另一台设备', en: 'Link a device' },
  linkDeviceHint: {
    'zh-CN': '在另一台设备上扫码，或打开 {url} 输入登录码。5 分钟内有效，只能用一次。',
    en: 'Scan this on the other device, or open {url} and type the code. Valid for 5 minutes, once.',
  },
  linkCode: { 'zh-CN': '登录码', en: 'Device code' },
  linkExpiresIn: { 'zh-CN': '{time} 后失效', en: 'Expires in {time}' },
  linkingDevice: { 'zh-CN': '正在登录…', en: 'Signing in…' },
  linkSubmit: { 'zh-CN': '登录', en: 'Sign in' },
  leaveGroup: { 'zh-CN': '退出本群', en: 'Leave the group' },
  leaveConfirm: {
    'zh-CN': '退出后你发的求助会撤销并退回积分，认领会放弃。以后用恢复码可以找回这个账号。确定退出吗？',
    en: 'Your open tasks will be cancelled and refunded and your claims released. Your recovery code can bring this account back later. Leave?',
  },
  left: { 'zh-CN': '你已退出本群', en: 'You left the group' },
  transferOwner: { 'zh-CN': '转让群主', en: 'Hand over the group' },
  transferHint: { 'zh-CN': '只能转让给管理员。转让后你会成为管理员。', en: 'Only to an admin. You become an admin.' },
  transferTo: { 'zh-CN': '转让给', en: 'Hand over to' },
  noAdmins: { 'zh-CN': '先在「管理」里设一位管理员。', en: 'Make someone an admin first (Admin page).' },
  reissueRecovery: { 'zh-CN': '重发恢复码', en: 'New recovery code' },
  reissuedFor: { 'zh-CN': '{name} 的新恢复码（旧的已失效），请当面交给本人：', en: 'New recovery code for {name} (the old one no longer works); give it in person:' },
  status_left: { 'zh-CN': '已退出', en: 'Left' },
  // Moderation (issue #4)
  report: { 'zh-CN': '举报', en: 'Report' },
  reportReason: { 'zh-CN': '举报原因（例如：诈骗、广告、要验证码）', en: 'Why? (scam, ad, asks for a code…)' },
  reported: { 'zh-CN': '已举报，管理员会处理', en: 'Reported; the admins will look at it' },
  reports: { 'zh-CN': '举报', en: 'Reports' },
  noReports: { 'zh-CN': '没有待处理的举报', en: 'No open reports' },
  autoReport: { 'zh-CN': '系统自动举报', en: 'Automatic report' },
  dismiss: { 'zh-CN': '忽略', en: 'Dismiss' },
  handled: { 'zh-CN': '已处理', en: 'Handled' },
  warn: { 'zh-CN': '警告', en: 'Warn' },
  mute: { 'zh-CN': '禁言24小时', en: 'Mute 24 h' },
  unmute: { 'zh-CN': '解除禁言', en: 'Unmute' },
  remove: { 'zh-CN': '移出群', en: 'Remove' },
  removeConfirm: { 'zh-CN': '确定把 {name} 移出群吗？TA 的求助会撤销并退回积分。', en: 'Remove {name}? Their open tasks are cancelled and refunded.' },
  status_muted: { 'zh-CN': '禁言中', en: 'Muted' },
  status_pending: { 'zh-CN': '待审核', en: 'Waiting' },
  pendingJoins: { 'zh-CN': '入群申请', en: 'Join requests' },
  approve: { 'zh-CN': '通过', en: 'Approve' },
  reject: { 'zh-CN': '拒绝', en: 'Refuse' },
  requireApproval: { 'zh-CN': '入群需要审核', en: 'Joins need approval' },
  auditLog: { 'zh-CN': '操作记录', en: 'Audit log' },
  warnings: { 'zh-CN': '警告 {n} 次', en: '{n} warnings' },
  pendingHint: { 'zh-CN': '你的入群申请已提交，管理员通过后就能参与。', en: 'Your request to join was sent; you can take part once an admin approves it.' },
  scamWarning: { 'zh-CN': '⚠️ 小心诈骗：这条消息在要{what}。不要给任何人验证码、密码或转账。', en: '⚠️ Possible scam: this message asks for {what}. Never give anyone codes, passwords or money.' },
  scam_verificationCode: { 'zh-CN': '验证码', en: 'a verification code' },
  scam_password: { 'zh-CN': '密码', en: 'a password' },
  scam_transfer: { 'zh-CN': '转账', en: 'a transfer' },
  scam_deposit: { 'zh-CN': '押金', en: 'a deposit' },
  scam_entryFee: { 'zh-CN': '入群费', en: 'an entry fee' },
  scam_offBoardPayment: { 'zh-CN': '私下付款', en: 'payment outside the board' },
  redactedNote: { 'zh-CN': '为保护隐私，已隐藏：{what}', en: 'Hidden to protect privacy: {what}' },
  pii_phone: { 'zh-CN': '手机号', en: 'phone number' },
  pii_idCard: { 'zh-CN': '身份证号', en: 'ID number' },
  pii_bankCard: { 'zh-CN': '银行卡号', en: 'bank card number' },
  pii_email: { 'zh-CN': '邮箱', en: 'e-mail' },
  reload: { 'zh-CN': '刷新', en: 'Reload' },
  outdated: { 'zh-CN': '看板已更新，请刷新页面', en: 'The board was updated; please reload' },
  systemActor: { 'zh-CN': '系统', en: 'System' },
  'audit_group.settingsUpdated': { 'zh-CN': '修改了设置', en: 'changed settings' },
  'audit_group.ownerTransferred': { 'zh-CN': '转让了群主', en: 'handed over the group' },
  'audit_member.roleSet': { 'zh-CN': '修改了角色', en: 'changed a role' },
  'audit_member.recoveryReissued': { 'zh-CN': '重发了恢复码', en: 're-issued a recovery code' },
  'audit_member.warned': { 'zh-CN': '警告了', en: 'warned' },
  'audit_member.muted': { 'zh-CN': '禁言了', en: 'muted' },
  'audit_member.unmuted': { 'zh-CN': '解除禁言', en: 'unmuted' },
  'audit_member.removed': { 'zh-CN': '移出了', en: 'removed' },
  'audit_member.approved': { 'zh-CN': '通过了入群申请', en: 'approved a join' },
  'audit_member.rejected': { 'zh-CN': '拒绝了入群申请', en: 'refused a join' },
  'audit_member.left': { 'zh-CN': '退出了群', en: 'left the group' },
  'audit_report.filed': { 'zh-CN': '举报了', en: 'reported' },
  'audit_report.resolved': { 'zh-CN': '处理了举报', en: 'resolved a report' },
  'audit_chat.deleted': { 'zh-CN': '删除了消息', en: 'deleted a message' },
  'audit_task.cancelled': { 'zh-CN': '撤销了求助', en: 'cancelled a task' },
  'audit_credit.granted': { 'zh-CN': '发放了积分', en: 'granted credits' },

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
