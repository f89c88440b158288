export default definePageConfig({ navigationBarTitleText: '专题活动', enableShareAppMessage: true });
