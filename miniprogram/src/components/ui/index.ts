/** Our design system on top of NutUI React Taro: tokens, list rows and the loading/empty/error states. */
export { colors, nutTheme } from './theme';
export { ListItem, type ListItemProps } from './list-item';
export { EmptyState, ErrorState, LoadingState } from './states';
export { PagedList, type PagedListProps } from './paged-list';
export { Button, type ButtonProps } from './button';
export { MoreButton, type CursorPage, type MoreButtonProps } from './more-button';
export { IconLine, type IconLineProps } from './icon-line';
export { LAZY_IMAGES } from './lazy';
