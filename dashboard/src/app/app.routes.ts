import { Routes } from '@angular/router';
import { authGuard } from './core/auth/auth.guard';

export interface NavItem {
  path: string;
  label: string;
  icon: string;
}

/** Sidebar order (issue #8 §1). */
export const NAV: NavItem[] = [
  { path: 'home', label: 'Home', icon: 'home' },
  { path: 'media', label: 'Media', icon: 'perm_media' },
  { path: 'schedule', label: 'Schedule', icon: 'event_note' },
  { path: 'calendar', label: 'Calendar', icon: 'calendar_month' },
  { path: 'recurring', label: 'Recurring', icon: 'repeat' },
  { path: 'pipeline', label: 'Pipeline', icon: 'account_tree' },
  { path: 'ai-templates', label: 'AI templates', icon: 'auto_awesome' },
  { path: 'accounts', label: 'Accounts & plugins', icon: 'extension' },
  { path: 'activity', label: 'Activity', icon: 'history' },
  { path: 'logs', label: 'Logs', icon: 'receipt_long' },
  { path: 'settings', label: 'Settings', icon: 'settings' },
];

export const routes: Routes = [
  { path: 'login', title: 'Sign in · SchedulerX', loadComponent: () => import('./pages/login/login.page').then((m) => m.LoginPage) },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'home' },
      { path: 'home', title: 'Home · SchedulerX', loadComponent: () => import('./pages/home/home.page').then((m) => m.HomePage) },
      { path: 'media', title: 'Media · SchedulerX', loadComponent: () => import('./pages/media/media.page').then((m) => m.MediaPage) },
      { path: 'schedule', title: 'Schedule · SchedulerX', loadComponent: () => import('./pages/schedule/schedule.page').then((m) => m.SchedulePage) },
      { path: 'posts/:id', title: 'Post · SchedulerX', loadComponent: () => import('./pages/post-detail/post-detail.page').then((m) => m.PostDetailPage) },
      { path: 'calendar', title: 'Calendar · SchedulerX', loadComponent: () => import('./pages/calendar/calendar.page').then((m) => m.CalendarPage) },
      { path: 'recurring', title: 'Recurring · SchedulerX', loadComponent: () => import('./pages/recurring/recurring.page').then((m) => m.RecurringPage) },
      { path: 'pipeline', title: 'Pipeline · SchedulerX', loadComponent: () => import('./pages/pipeline/pipeline.page').then((m) => m.PipelinePage) },
      { path: 'ai-templates', title: 'AI templates · SchedulerX', loadComponent: () => import('./pages/ai-templates/ai-templates.page').then((m) => m.AiTemplatesPage) },
      { path: 'accounts', title: 'Accounts & plugins · SchedulerX', loadComponent: () => import('./pages/accounts/accounts.page').then((m) => m.AccountsPage) },
      { path: 'activity', title: 'Activity · SchedulerX', loadComponent: () => import('./pages/activity/activity.page').then((m) => m.ActivityPage) },
      { path: 'logs', title: 'Logs · SchedulerX', loadComponent: () => import('./pages/logs/logs.page').then((m) => m.LogsPage) },
      { path: 'settings', title: 'Settings · SchedulerX', loadComponent: () => import('./pages/settings/settings.page').then((m) => m.SettingsPage) },
    ],
  },
  { path: '**', redirectTo: 'home' },
];
