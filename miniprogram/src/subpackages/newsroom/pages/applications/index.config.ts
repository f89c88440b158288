export default definePageConfig({ navigationBarTitleText: '通讯员申请审核', enablePullDownRefresh: true });
