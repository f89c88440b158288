export default definePageConfig({ navigationBarTitleText: '企业之家审核' });
