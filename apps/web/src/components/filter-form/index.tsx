import { Form, type FormProps, Grid } from 'antd';
import type { ReactNode } from 'react';

type FilterFormProps<Values> = Omit<FormProps<Values>, 'layout' | 'children'> & { children: ReactNode };

/** Filters sit in one row on desks and stack on phones. */
export function FilterForm<Values>({ children, style, ...rest }: FilterFormProps<Values>) {
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  return (
    <Form<Values>
      {...rest}
      layout={wide ? 'inline' : 'vertical'}
      style={wide ? { rowGap: 12, ...style } : style}
    >
      {children}
    </Form>
  );
}

/** A fixed field width on desks, the full row on phones. */
export function useFilterFieldWidth(pixels: number): number | string {
  const screens = Grid.useBreakpoint();
  return (screens.md ?? true) ? pixels : '100%';
}
