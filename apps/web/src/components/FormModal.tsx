import { type ButtonProps, Form, type FormInstance, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props<V> {
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  onSubmit: (values: V) => void;
  onClose: () => void;
  loading: boolean;
  okText?: ReactNode;
  initialValues?: Partial<V>;
  /** `data-testid` of the form; the OK button gets `<testId>-submit`. */
  testId: string;
  /** Wider than antd's 520 px for a form of many fields. */
  width?: number;
  children: ReactNode;
}

/** A modal holding one form: OK submits it (so does Enter), fields are reset each time it opens. */
export function FormModal<V>({
  open,
  title,
  form,
  onSubmit,
  onClose,
  loading,
  okText,
  initialValues,
  testId,
  width,
  children,
}: Props<V>) {
  const { t } = useTranslation();
  const okButtonProps: ButtonProps & Record<`data-${string}`, string> = { 'data-testid': `${testId}-submit` };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={okText ?? t('common.save')}
      confirmLoading={loading}
      okButtonProps={okButtonProps}
      destroyOnHidden
      width={width}
    >
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={onSubmit}
        requiredMark={false}
        initialValues={initialValues}
        data-testid={testId}
        style={{ marginTop: 16 }}
      >
        {children}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
