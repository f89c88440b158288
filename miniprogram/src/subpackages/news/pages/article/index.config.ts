export default definePageConfig({ navigationBarTitleText: '正文', enableShareAppMessage: true, enableShareTimeline: true });
