package org.waterspout.admin;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;
import javax.management.StandardMBean;

/**
 * An MXBean with the descriptions of {@link Description} and real parameter names, so JConsole
 * shows {@code user} rather than {@code p0}. Calls run with the application's class loader as the
 * context class loader: JMX calls arrive on the server's threads, where Jakarta JSON and the rest
 * of the application's libraries would otherwise not be found.
 */
final class DescribedMXBean<T> extends StandardMBean {

  private final Class<T> type;
  private final ClassLoader application;

  DescribedMXBean(T implementation, Class<T> type) {
    super(implementation, type, true);
    this.type = type;
    this.application = implementation.getClass().getClassLoader();
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return describe("get" + info.getName())
        .or(() -> describe("is" + info.getName()))
        .orElse(super.getDescription(info));
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    return describe(info.getName()).orElse(super.getDescription(info));
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    return method(op.getName())
        .filter(
            m -> m.getParameterCount() > sequence && m.getParameters()[sequence].isNamePresent())
        .map(m -> m.getParameters()[sequence].getName())
        .orElse(super.getParameterName(op, param, sequence));
  }

  @Override
  public Object getAttribute(String attribute)
      throws AttributeNotFoundException, MBeanException, ReflectionException {
    return inApplication(() -> super.getAttribute(attribute));
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    try {
      return inApplication(() -> super.getAttributes(attributes));
    } catch (MBeanException | ReflectionException | AttributeNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Object invoke(String action, Object[] params, String[] signature)
      throws MBeanException, ReflectionException {
    try {
      return inApplication(() -> super.invoke(action, params, signature));
    } catch (AttributeNotFoundException e) {
      throw new ReflectionException(e);
    }
  }

  private Optional<String> describe(String methodName) {
    return method(methodName).map(m -> m.getAnnotation(Description.class)).map(Description::value);
  }

  private Optional<Method> method(String name) {
    return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst();
  }

  private <R> R inApplication(Callable<R> call)
      throws MBeanException, ReflectionException, AttributeNotFoundException {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(application);
    try {
      return call.call();
    } catch (MBeanException | ReflectionException | AttributeNotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new MBeanException(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
